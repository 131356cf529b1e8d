/**
 * Whether work grows linearly with its input (a regular expression's steps cannot be counted, so by
 * time): the median time for an input of size 2n against the median for size n, measured interleaved
 * so that a machine's load falls on both alike. A linear scan gives about 2, a quadratic one 4, a
 * cubic one 8. Never a fixed time: only the ratio is compared.
 *
 * The time is the process's CPU time, not the wall clock: on a machine shared by several test runs
 * (a load of 9 on 2 cores), the wall clock counts the time others hold the CPU, and linear scans
 * measured up to 3.5 × from n to 2n; their CPU time stays near 2.
 */

/**
 * Every match of `re` in a text, as a global search finds them: the most work any use of the
 * expression can do (a use of `exec` or `test` that finds nothing tries every start position too).
 */
export function searchAll(re: RegExp): (text: string) => unknown {
  const global = new RegExp(re.source, `${re.flags.replace(/[gy]/g, '')}g`);
  return (text) => text.replace(global, '');
}

/** An input of size about `n` (characters, posts, ...) built ahead, and the work to time on it. */
export interface Workload<T> {
  make(n: number): T;
  run(input: T): unknown;
}

export interface Growth {
  /** The smaller size measured. */
  n: number;
  /** Median time at 2n over median time at n. */
  ratio: number;
  /** Median milliseconds per run at n and at 2n. */
  ms: [number, number];
}

/** A single run this long is long enough to show how work grows. */
const RUN_MS = 0.5;
/** A sample repeats the run to last at least this long, above the timer's noise. */
const SAMPLE_MS = 2;
/** Samples of each size per measurement, interleaved. */
const SAMPLES = 5;

/**
 * The growth of `w` from n to 2n: n doubled from `start` until one run takes half a millisecond (or
 * reaches `max`), each sample repeating the run to last a few milliseconds. A ratio above `limit` is
 * measured again, at n (a pause of the machine) and then from 2n, 4n and 8n (a step in the cost of
 * memory, where the input outgrows a cache or makes the garbage collector run more often: a linear
 * parse() measured 4.3 × from 512 KiB to 1 MiB and 1.6 × on to 2 MiB; a Markdown scan 2.8 × from 4,096
 * to 8,192 pieces in a full CI run, with other test files on both cores); the smallest ratio is
 * returned. A
 * super-linear scan grows faster at every size, and fails all three.
 */
export function growth<T>(w: Workload<T>, { start = 128, max = 1 << 20, limit = 2.5 } = {}): Growth {
  let n = start;
  let input = w.make(n);
  while (n < max && sampleTime(w, input, 1) < RUN_MS) {
    n *= 2;
    input = w.make(n);
  }
  const repeat = Math.max(1, Math.ceil(SAMPLE_MS / Math.max(sampleTime(w, input, 1), 1e-3)));
  let best: Growth | null = null;
  // At n twice, then at 2n, 4n and 8n: each step's repeat halved, so a sample lasts as long.
  for (let attempt = 0; attempt < 5 && (best === null || best.ratio > limit); attempt++) {
    const scale = attempt < 2 ? 1 : 2 ** (attempt - 1);
    const measured = measure(w, scale * n, Math.ceil(repeat / scale));
    if (best === null || measured.ratio < best.ratio) best = measured;
  }
  return best as Growth;
}

function measure<T>(w: Workload<T>, n: number, repeat: number): Growth {
  const small = w.make(n);
  const large = w.make(2 * n);
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    a.push(sampleTime(w, small, repeat));
    b.push(sampleTime(w, large, repeat));
  }
  const ms: [number, number] = [median(a) / repeat, median(b) / repeat];
  return { n, ratio: ms[1] / ms[0], ms };
}

/** Milliseconds for `repeat` runs: the median of three when it is a single run, for a steadier start. */
function sampleTime<T>(w: Workload<T>, input: T, repeat: number): number {
  const once = (): number => {
    const t = cpuMs();
    for (let i = 0; i < repeat; i++) w.run(input);
    return cpuMs() - t;
  };
  return repeat === 1 ? median([once(), once(), once()]) : once();
}

/** The process's CPU time so far (user and system), in milliseconds. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((x, y) => x - y);
  return sorted[sorted.length >> 1] as number;
}
