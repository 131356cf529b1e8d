/**
 * Whether work grows linearly with its input, by wall clock (a regular expression's steps cannot be
 * counted): the median time for an input of size 2n against the median for size n, measured
 * interleaved so that a machine's load falls on both alike. A linear scan gives about 2, a quadratic
 * one 4, a cubic one 8. Never a fixed time: only the ratio is compared.
 */

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
  /** Median milliseconds at n and at 2n. */
  ms: [number, number];
}

/** Below this, a run is too short for its time to be more than noise. */
const MIN_MS = 4;
/** Samples of each size per measurement, interleaved. */
const SAMPLES = 7;

/**
 * The growth of `w` from n to 2n, n doubled from `start` until a run takes a few milliseconds (or
 * reaches `max`). A ratio above `limit` is measured again twice, so that a pause of the machine does
 * not fail a linear scan: the smallest of the three is returned.
 */
export function growth<T>(w: Workload<T>, { start = 128, max = 1 << 22, limit = 2.5 } = {}): Growth {
  let n = start;
  while (n < max && medianTime(w, w.make(n), 3) < MIN_MS) n *= 2;
  let best: Growth | null = null;
  for (let attempt = 0; attempt < 3 && (best === null || best.ratio > limit); attempt++) {
    const measured = measure(w, n);
    if (best === null || measured.ratio < best.ratio) best = measured;
  }
  return best as Growth;
}

function measure<T>(w: Workload<T>, n: number): Growth {
  const small = w.make(n);
  const large = w.make(2 * n);
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    a.push(timeOf(w, small));
    b.push(timeOf(w, large));
  }
  const ms: [number, number] = [median(a), median(b)];
  return { n, ratio: ms[1] / ms[0], ms };
}

function medianTime<T>(w: Workload<T>, input: T, samples: number): number {
  return median(Array.from({ length: samples }, () => timeOf(w, input)));
}

function timeOf<T>(w: Workload<T>, input: T): number {
  const t = performance.now();
  w.run(input);
  return performance.now() - t;
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((x, y) => x - y);
  return sorted[sorted.length >> 1] as number;
}
