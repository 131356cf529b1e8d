/**
 * `npm run bench [-- --size MB --pages N --captures N --runs N --no-readme]`: times postdump against
 * the references of SPEC §9, on a generated dump, generated listing pages and a generated WARC, says
 * for each goal of issue 17 whether it is met, and writes the result into the README.
 *
 * How it measures, so that a shared machine's load falls on every command alike:
 * - the commands of a group run interleaved (A B C … A B C …, each round starting one further on),
 *   `--runs` rounds, and the medians are reported;
 * - each run's wall time, CPU time (user + system, of the command and its children) and peak RSS
 *   come from /usr/bin/time. Goals of one core (× mawk, × `node -e 0`) are judged by CPU time, which
 *   the load of others disturbs least; goals of throughput and of two cores by wall time;
 * - each group holds a control pair, the same CPU loop twice: when its two runs' medians differ by
 *   more than 10%, the machine was busy while the group ran, and the result says so.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateDump } from './generate.js';
import { generateWarc, type WarcCounts } from './generate-warc.js';

const root = resolve(import.meta.dirname, '../..');
const work = join(root, '.bench');
const { values: args } = parseArgs({
  options: {
    size: { type: 'string', default: '228' },
    pages: { type: 'string', default: '2000' },
    captures: { type: 'string', default: '20000' },
    runs: { type: 'string', default: '5' },
    'no-readme': { type: 'boolean', default: false },
  },
});
const megabytes = Number(args.size);
const pageCount = Number(args.pages);
const captureCount = Number(args.captures);
const runs = Number(args.runs);
if (!(megabytes > 0) || !(pageCount > 0) || !(captureCount > 0) || !(runs > 0)) throw new Error('--size, --pages, --captures and --runs take positive numbers');

const has = (command: string): boolean => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
const timeTool = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const postdump = [process.execPath, join(root, 'bin/postdump.js')];
const seed = join(root, 'fixtures/seed.txt');
// Debian's Python (what CI installs), not a build of one's own that may come first on the PATH: a
// pyenv Python built without --enable-optimizations ran the reference 10-18% slower here.
const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : has('python3') ? 'python3' : null;
const mawk = has('mawk') ? 'mawk' : null;

/** One run of a command: seconds of wall and of CPU (user + system), peak RSS in MiB. */
interface Sample {
  wall: number;
  cpu: number | null;
  rss: number | null;
}

/** Runs `argv` with stdout to `stdoutTo` (/dev/null); throws when it fails. */
function once(argv: readonly string[], stdoutTo = '/dev/null'): Sample {
  const out = openSync(stdoutTo, 'w');
  const stats = join(work, 'time.txt');
  try {
    const command = timeTool === null ? argv : [timeTool, '-f', '%U %S %M', '-o', stats, ...argv];
    const start = process.hrtime.bigint();
    const r = spawnSync(command[0] as string, command.slice(1), { stdio: ['ignore', out, 'pipe'], maxBuffer: 1 << 26 });
    const wall = Number(process.hrtime.bigint() - start) / 1e9;
    if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr.toString().slice(-500)}`);
    if (timeTool === null) return { wall, cpu: null, rss: null };
    const [user, system, kib] = readFileSync(stats, 'utf8').trim().split('\n').at(-1)?.split(' ').map(Number) ?? [];
    return { wall, cpu: (user ?? Number.NaN) + (system ?? Number.NaN), rss: (kib ?? Number.NaN) / 1024 };
  } finally {
    closeSync(out);
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

interface Entry {
  name: string;
  argv: readonly string[];
  /** Runs of the command that one measured run makes (start-up is timed ten starts at a time). */
  repeat?: number;
}

/** A command's medians over the rounds (per start, for a repeated one) and its largest peak RSS. */
interface Timing {
  wall: number;
  cpu: number | null;
  rss: number | null;
}

const CONTROL = 'control: a CPU loop';
/** The control pair's loop: about as long as mawk on the dump. */
const CONTROL_LOOP = 'let x = 0; for (let i = 0; i < 5e8; i++) x = (x + i) | 0; if (x === 1) console.log(x);';

interface Group {
  timings: Map<string, Timing>;
  /** How far apart the control pair's medians are (wall), as a fraction of the smaller. */
  spread: number;
  load: [number, number];
}

/** Times `entries` and the control pair interleaved, `rounds` rounds. */
function interleaved(label: string, entries: readonly Entry[], rounds = runs): Group {
  const all: Entry[] = [
    ...entries,
    { name: `${CONTROL} (a)`, argv: [process.execPath, '-e', CONTROL_LOOP] },
    { name: `${CONTROL} (b)`, argv: [process.execPath, '-e', CONTROL_LOOP] },
  ];
  const samples = new Map<string, Sample[]>(all.map((e) => [e.name, []]));
  const before = loadavg()[0] ?? 0;
  for (let round = 0; round < rounds; round++) {
    process.stderr.write(`${label}: round ${round + 1} of ${rounds}\n`);
    for (let k = 0; k < all.length; k++) {
      const entry = all[(round + k) % all.length] as Entry;
      const repeat = entry.repeat ?? 1;
      const argv = repeat === 1 ? entry.argv : ['sh', '-c', `for i in $(seq ${repeat}); do "$@" > /dev/null; done`, 'sh', ...entry.argv];
      const s = once(argv);
      samples.get(entry.name)?.push({ wall: s.wall / repeat, cpu: s.cpu === null ? null : s.cpu / repeat, rss: s.rss });
    }
  }
  const timings = new Map<string, Timing>();
  for (const [name, list] of samples) {
    const cpu = list.flatMap((s) => (s.cpu === null ? [] : [s.cpu]));
    const rss = list.flatMap((s) => (s.rss === null ? [] : [s.rss]));
    timings.set(name, {
      wall: median(list.map((s) => s.wall)),
      cpu: cpu.length > 0 ? median(cpu) : null,
      rss: rss.length > 0 ? rss.reduce((a, b) => Math.max(a, b)) : null,
    });
  }
  const a = timings.get(`${CONTROL} (a)`)?.wall ?? 0;
  const b = timings.get(`${CONTROL} (b)`)?.wall ?? 0;
  return { timings, spread: Math.abs(a - b) / Math.min(a, b), load: [before, loadavg()[0] ?? 0] };
}

function exited(argv: readonly string[]): Promise<void> {
  return new Promise((done) => spawn(argv[0] as string, argv.slice(1), { stdio: 'ignore' }).on('exit', () => done()));
}

async function md5(path: string): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** How many lines a file holds (one post a line in JSON Lines). */
function linesOf(path: string): number {
  const bytes = readFileSync(path);
  let count = 0;
  for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) count++;
  return count;
}

const version = (argv: readonly string[]): string =>
  spawnSync(argv[0] as string, argv.slice(1), { encoding: 'utf8' })
    .stdout.split('\n')[0]
    ?.trim() ?? '?';

async function main(): Promise<void> {
  mkdirSync(work, { recursive: true });
  const date = new Date().toISOString().slice(0, 16).replace('T', ' ');

  // The dump, the pages, the crawl: made once, the same bytes each time.
  const dump = join(work, `dump-${megabytes}MB-seed.txt`);
  if (!existsSync(dump)) {
    process.stderr.write(`generating ${dump} ...\n`);
    await generateDump(dump, megabytes, seed);
  }
  const mb = statSync(dump).size / 1e6;
  const pages = join(work, `pages-${pageCount}`);
  if (!existsSync(pages)) {
    mkdirSync(pages, { recursive: true });
    const listing = readFileSync(join(root, 'fixtures/html/listing.html'), 'utf8');
    for (let i = 0; i < pageCount; i++)
      writeFileSync(
        join(pages, `page-${i}.html`),
        listing.replace(/archives\/(\d+)/g, (_, id: string) => `archives/${Number(id) + i}`),
      );
  }
  const warc = join(work, `crawl-${captureCount}.warc.gz`);
  const warcCountsFile = `${warc}.json`;
  if (!existsSync(warc) || !existsSync(warcCountsFile)) {
    process.stderr.write(`generating ${warc} ...\n`);
    writeFileSync(warcCountsFile, JSON.stringify(await generateWarc(warc, captureCount, root)));
  }
  const warcCounts = JSON.parse(readFileSync(warcCountsFile, 'utf8')) as WarcCounts;

  // Every record exact: postdump's JSON Lines must be the references' on this input.
  const naiveNode = [process.execPath, join(root, 'bench/naive.mjs'), dump];
  const naivePython = python === null ? null : [python, join(root, 'bench/naive.py'), dump];
  const ours = join(work, 'postdump.jsonl');
  once([...postdump, 'parse', dump, '-f', 'jsonl'], ours);
  const expected = await md5(ours);
  const references = [naiveNode, ...(naivePython === null ? [] : [naivePython])];
  let exact = true;
  for (const [i, argv] of references.entries()) {
    const theirs = join(work, `reference-${i}.jsonl`);
    once(argv, theirs);
    exact &&= (await md5(theirs)) === expected;
  }
  const posts = linesOf(ours);

  // One dump, on one core (--jobs 1) and on both (the default: the dump is a regular file of more than 64 MiB, parsed in segments).
  const parse = (format: string): Entry => ({ name: `postdump parse -f ${format} --jobs 1`, argv: [...postdump, 'parse', dump, '-f', format, '--jobs', '1'] });
  const parseBoth = (format: string): Entry => ({ name: `postdump parse -f ${format} (both cores)`, argv: [...postdump, 'parse', dump, '-f', format] });
  const PYTHON = 'naive Python (lines as they come, re, json.dumps)';
  const MAWK = 'mawk to TSV (no escaping)';
  const dumpGroup = interleaved('dump', [
    parse('jsonl'),
    parse('json'),
    parse('csv'),
    parse('md'),
    parseBoth('jsonl'),
    parseBoth('json'),
    parseBoth('csv'),
    parseBoth('md'),
    ...(naivePython === null ? [] : [{ name: PYTHON, argv: naivePython }]),
    { name: 'naive Node (readline, a regex, JSON.stringify)', argv: naiveNode },
    ...(mawk === null ? [] : [{ name: MAWK, argv: [mawk, '-f', join(root, 'bench/split.awk'), dump] }]),
    { name: 'cat file \\| cat (I/O floor)', argv: ['sh', '-c', `cat '${dump}' | cat`] },
  ]);

  // Saved listing pages. Outputs on tmpfs where there is one: the disk's metadata costs (a rename
  // over an existing file flushes it, on ext4) are not what this measures.
  const outRoot = existsSync('/dev/shm') ? '/dev/shm' : work;
  const outDir = (name: string): string => join(outRoot, `postdump-bench-${name}`);
  const convert = (jobs: number | null, out = outDir('converted')): string[] => [
    ...postdump,
    'convert',
    pages,
    '--out-dir',
    out,
    '-f',
    'jsonl',
    '--force',
    ...(jobs === null ? [] : ['--jobs', String(jobs)]),
  ];
  mkdirSync(outDir('merged'), { recursive: true });
  const merge = (jobs: number | null): string[] => [
    ...postdump,
    'convert',
    pages,
    '--merge',
    join(outDir('merged'), 'all.jsonl'),
    '--force',
    ...(jobs === null ? [] : ['--jobs', String(jobs)]),
  ];
  const C = `postdump convert ${pageCount} listing pages`;
  const convertGroup = interleaved('convert', [
    { name: `${C} --merge`, argv: merge(null) },
    { name: `${C} --merge --jobs 1`, argv: merge(1) },
    { name: `${C} --jobs 1`, argv: convert(1) },
    { name: `${C} --jobs 2`, argv: convert(2) },
    { name: `${C} (default jobs)`, argv: convert(null) },
  ]);
  // What two cores give here at best: two independent --jobs 1 runs side by side.
  const pairTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await Promise.all([outDir('a'), outDir('b')].map((out) => exited(convert(1, out))));
    pairTimes.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  for (const name of ['converted', 'merged', 'a', 'b']) rmSync(outDir(name), { recursive: true, force: true });

  // The crawl: reading it costs at least what zcat does; every post of its pages must come out.
  const warcArgs = [...postdump, 'parse', warc, '-f', 'jsonl'];
  const warcOut = join(work, 'warc.jsonl');
  once(warcArgs, warcOut);
  const warcPosts = linesOf(warcOut);
  const ZCAT = `zcat crawl.warc.gz \\| cat (${warcCounts.records} records, ${(warcCounts.bytes / 1e6).toFixed(0)} MB: the WARC floor)`;
  const POSTDUMP_WARC = `postdump parse crawl.warc.gz -f jsonl (${warcCounts.pages} pages)`;
  const warcGroup = interleaved('warc', [
    { name: ZCAT, argv: ['sh', '-c', `zcat '${warc}' | cat`] },
    { name: POSTDUMP_WARC, argv: warcArgs },
  ]);

  // Start-up, ten starts per measured run: a start is about a tick of /usr/bin/time's CPU clock.
  const NODE = 'start-up: `node -e 0`';
  const OURS = 'start-up: `postdump parse fixtures/seed.txt`';
  const startGroup = interleaved(
    'start-up',
    [
      { name: NODE, argv: [process.execPath, '-e', '0'], repeat: 10 },
      { name: OURS, argv: [...postdump, 'parse', seed], repeat: 10 },
    ],
    2 * runs,
  );

  // The table.
  const t = (group: Group, name: string): Timing => {
    const timing = group.timings.get(name);
    if (timing === undefined) throw new Error(`no timing for ${name}`);
    return timing;
  };
  const rows = (group: Group): Array<[string, Timing]> => [...group.timings].filter(([name]) => !name.startsWith(CONTROL));
  const seconds = (s: number): string => `${s.toFixed(2)} s`;
  const ms = (s: number): string => `${(s * 1000).toFixed(1)} ms`;
  const cpuOf = (m: Timing): string => (m.cpu === null ? 'n/a' : seconds(m.cpu));
  const rssOf = (m: Timing): string => (m.rss === null ? 'n/a' : `${m.rss.toFixed(0)} MiB`);
  // A over B by CPU time; by wall time without /usr/bin/time, or below five ticks of its clock (a tiny --size).
  const cpuRatio = (a: Timing, b: Timing | null): number | null =>
    b === null ? null : a.cpu !== null && b.cpu !== null && Math.min(a.cpu, b.cpu) >= 0.05 ? a.cpu / b.cpu : a.wall / b.wall;
  const times = (r: number | null): string => (r === null ? 'n/a' : `${r.toFixed(2)}×`);
  const mawkTiming = mawk === null ? null : t(dumpGroup, MAWK);
  const pythonTiming = naivePython === null ? null : t(dumpGroup, PYTHON);

  const groups: Array<[string, Group]> = [
    ['dump', dumpGroup],
    ['convert', convertGroup],
    ['WARC', warcGroup],
    ['start-up', startGroup],
  ];
  const busy = groups.filter(([, g]) => g.spread > 0.1);
  const spreads = groups
    .map(([name, g]) => `${name} ${seconds(t(g, `${CONTROL} (a)`).wall)} and ${seconds(t(g, `${CONTROL} (b)`).wall)} (${(g.spread * 100).toFixed(0)}%)`)
    .join(', ');
  const loads = groups.map(([name, g]) => `${name} ${g.load[0].toFixed(1)} → ${g.load[1].toFixed(1)}`).join(', ');
  const lines: string[] = [
    `Run on ${date} UTC: ${mb.toFixed(0)} MB generated dump (${posts} posts drawn from the seed), ${pageCount} listing pages, a WARC of ${warcCounts.captures} captures; ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, Node ${process.version}, ${python === null ? 'no Python' : version([python, '--version'])}, ${mawk === null ? 'no mawk' : version([mawk, '-W', 'version'])}. Medians of ${runs} interleaved runs (start-up: ${2 * runs} runs of ten starts), stdout to /dev/null; × columns by CPU time (user + system).`,
    '',
    busy.length === 0
      ? `The machine was steady: each group's control pair (one CPU loop run twice) took the same time within 10%: ${spreads}. Load average during the groups: ${loads}.`
      : `**The machine was busy** while ${busy.map(([name]) => name).join(', ')} ran: the control pair (one CPU loop run twice) took ${spreads}; wall times there are noise, compare the CPU-time ratios. Load average during the groups: ${loads}.`,
    '',
    '| command | wall time | CPU time | throughput | × mawk | × naive Python | peak RSS |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows(dumpGroup).map(
      ([name, m]) =>
        `| ${name} | ${seconds(m.wall)} | ${cpuOf(m)} | ${(mb / m.wall).toFixed(0)} MB/s | ${times(cpuRatio(m, mawkTiming))} | ${times(cpuRatio(m, pythonTiming))} | ${rssOf(m)} |`,
    ),
    '',
    '| command | wall time | CPU time | rate | peak RSS |',
    '|---|---:|---:|---:|---:|',
    ...rows(convertGroup).map(([name, m]) => `| ${name} | ${seconds(m.wall)} | ${cpuOf(m)} | ${(pageCount / m.wall).toFixed(0)} pages/s | ${rssOf(m)} |`),
    `| two ${C} --jobs 1 side by side | ${seconds(median(pairTimes))} | | ${((2 * pageCount) / median(pairTimes)).toFixed(0)} pages/s | |`,
    ...rows(warcGroup).map(
      ([name, m]) => `| ${name} | ${seconds(m.wall)} | ${cpuOf(m)} | ${(warcCounts.records / m.wall).toFixed(0)} records/s | ${rssOf(m)} |`,
    ),
    '',
    '| start-up | wall time | CPU time | × `node -e 0` (CPU) |',
    '|---|---:|---:|---:|',
    ...rows(startGroup).map(([name, m]) => `| ${name} | ${ms(m.wall)} | ${m.cpu === null ? 'n/a' : ms(m.cpu)} | ${times(cpuRatio(m, t(startGroup, NODE)))} |`),
  ];

  // The goals of issue 17 (SPEC §9), met or not.
  const goal = (ok: boolean | null, why = ''): string => (ok === null ? `n/a${why === '' ? '' : `: ${why}`}` : ok ? 'met' : '**NOT met**');
  const underMawk = (format: string, limit: number): [string, string] => {
    const r = mawkTiming === null ? null : cpuRatio(t(dumpGroup, `postdump parse -f ${format} --jobs 1`), mawkTiming);
    return [times(r), goal(r === null ? null : r <= limit, 'no mawk')];
  };
  const wallOverMawk = (format: string): number | null =>
    mawkTiming === null ? null : t(dumpGroup, `postdump parse -f ${format} (both cores)`).wall / mawkTiming.wall;
  const jobs1 = t(convertGroup, `${C} --jobs 1`);
  const jobs2 = t(convertGroup, `${C} --jobs 2`);
  const byDefault = t(convertGroup, `${C} (default jobs)`);
  const merged = t(convertGroup, `${C} --merge`);
  const formatsRss = ['jsonl', 'json', 'csv', 'md']
    .flatMap((f) => [`postdump parse -f ${f} --jobs 1`, `postdump parse -f ${f} (both cores)`])
    .map((name) => t(dumpGroup, name).rss ?? Number.NaN)
    .reduce((a, b) => Math.max(a, b));
  const startRatio = cpuRatio(t(startGroup, OURS), t(startGroup, NODE));
  const ourWarc = t(warcGroup, POSTDUMP_WARC);
  const zcat = t(warcGroup, ZCAT);
  const twoCores = [wallOverMawk('jsonl'), wallOverMawk('json')];
  const goals: Array<[string, string, string]> = [
    [`records exact: postdump's JSON Lines equal to the naive references' (${references.length})`, exact ? 'yes' : 'NO', goal(exact)],
    ['`-f jsonl` ≤ 1.2 × mawk on one thread (CPU)', ...underMawk('jsonl', 1.2)],
    ['`-f json` ≤ 1.2 × mawk on one thread (CPU)', ...underMawk('json', 1.2)],
    [
      '`-f jsonl` and `-f json` ≤ 1.0 × mawk with both cores, a regular file > 64 MB (wall)',
      twoCores.map(times).join(', '),
      goal(twoCores.includes(null) ? null : twoCores.every((r) => (r ?? Number.POSITIVE_INFINITY) <= 1), 'no mawk'),
    ],
    ['`-f csv` ≤ 2 × mawk (CPU)', ...underMawk('csv', 2)],
    ['`-f md` ≤ 2 × mawk (CPU)', ...underMawk('md', 2)],
    [
      'peak RSS ≤ 100 MiB for every format',
      Number.isFinite(formatsRss) ? `${formatsRss.toFixed(0)} MiB` : 'n/a',
      goal(Number.isFinite(formatsRss) ? formatsRss <= 100 : null, 'needs /usr/bin/time'),
    ],
    [
      'convert: the default job count never slower than `--jobs 1` (wall)',
      `${seconds(byDefault.wall)} against ${seconds(jobs1.wall)}`,
      goal(byDefault.wall <= jobs1.wall),
    ],
    ['convert `--jobs 1` ≥ 2,500 listing pages/s (wall)', `${(pageCount / jobs1.wall).toFixed(0)} pages/s`, goal(pageCount / jobs1.wall >= 2500)],
    ['convert `--merge` ≥ 4,000 listing pages/s (wall)', `${(pageCount / merged.wall).toFixed(0)} pages/s`, goal(pageCount / merged.wall >= 4000)],
    [
      `convert \`--jobs 2\` ≥ 1.5 × \`--jobs 1\` on ${pageCount} pages (wall)`,
      `${(jobs1.wall / jobs2.wall).toFixed(2)}× (two --jobs 1 side by side: ${((2 * jobs1.wall) / median(pairTimes)).toFixed(2)}×)`,
      goal(jobs1.wall / jobs2.wall >= 1.5),
    ],
    ['start-up ≤ 1.25 × `node -e 0` (CPU)', times(startRatio), goal(startRatio === null ? null : startRatio <= 1.25)],
    [`WARC: every post of its pages (${warcCounts.posts})`, String(warcPosts), goal(warcPosts === warcCounts.posts)],
    ['WARC: peak RSS ≤ 150 MiB', rssOf(ourWarc), goal(ourWarc.rss === null ? null : ourWarc.rss <= 150, 'needs /usr/bin/time')],
    [
      `WARC: time × \`zcat \\| cat\` (reading and parsing ${warcCounts.pages} pages against decompressing only; no target, the floor)`,
      `${times(ourWarc.wall / zcat.wall)}, ${(warcCounts.records / ourWarc.wall).toFixed(0)} records/s`,
      'n/a',
    ],
  ];
  lines.push('', '| goal | measured | |', '|---|---:|---|', ...goals.map(([name, measured, verdict]) => `| ${name} | ${measured} | ${verdict} |`));
  const table = lines.join('\n');
  process.stdout.write(`${table}\n`);

  if (!args['no-readme']) {
    const readme = join(root, 'README.md');
    const text = readFileSync(readme, 'utf8');
    const start = '<!-- bench:start -->';
    const end = '<!-- bench:end -->';
    const from = text.indexOf(start);
    const to = text.indexOf(end);
    if (from === -1 || to === -1) throw new Error(`README.md has no ${start} ... ${end} section`);
    writeFileSync(readme, `${text.slice(0, from + start.length)}\n${table}\n${text.slice(to)}`);
    process.stderr.write('README.md Performance section updated\n');
  }
}

await main();
