/**
 * `npm run bench [-- --size MB --pages N --captures N --runs N --no-readme]`: times postdump against
 * the references of SPEC §9 on one generated dump, generated pages and a generated WARC, in one run,
 * and writes the table into the README.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateDump } from './generate.js';
import { generateWarc, type WarcCounts } from './generate-warc.js';

const root = resolve(import.meta.dirname, '../..');
const work = join(root, '.bench');
const { values: args } = parseArgs({
  options: {
    size: { type: 'string', default: '228' },
    pages: { type: 'string', default: '1000' },
    captures: { type: 'string', default: '20000' },
    runs: { type: 'string', default: '3' },
    'no-readme': { type: 'boolean', default: false },
  },
});
const megabytes = Number(args.size);
const pageCount = Number(args.pages);
const captureCount = Number(args.captures);
const runs = Number(args.runs);
if (!(megabytes > 0) || !(runs > 0)) throw new Error('--size and --runs take positive numbers');

const has = (command: string): boolean => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
const timeTool = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const postdump = [process.execPath, join(root, 'bin/postdump.js')];
const seed = join(root, 'fixtures/seed.txt');

interface Measure {
  seconds: number;
  /** Peak resident set size in MiB, when /usr/bin/time can tell. */
  rss: number | null;
}

/** Runs `argv` with stdout to /dev/null (or `stdoutTo`); wall time and peak RSS. */
function once(argv: string[], stdoutTo = '/dev/null'): Measure {
  const out = openSync(stdoutTo, 'w');
  try {
    const command = timeTool === null ? argv : [timeTool, '-f', '%M', ...argv];
    const start = process.hrtime.bigint();
    const r = spawnSync(command[0] as string, command.slice(1), { stdio: ['ignore', out, 'pipe'], maxBuffer: 1 << 26 });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const stderr = r.stderr.toString();
    if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (${r.status}): ${stderr.slice(-500)}`);
    const kib = timeTool === null ? Number.NaN : Number(stderr.trim().split('\n').at(-1));
    return { seconds, rss: Number.isFinite(kib) ? kib / 1024 : null };
  } finally {
    closeSync(out);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Median wall time and the largest peak RSS over `n` runs. */
function measure(argv: string[], n = runs): Measure {
  const all = Array.from({ length: n }, () => once(argv));
  const rss = all.map((m) => m.rss).filter((r) => r !== null);
  return { seconds: median(all.map((m) => m.seconds)), rss: rss.length > 0 ? Math.max(...rss) : null };
}

function exited(argv: string[]): Promise<void> {
  return new Promise((resolve) => spawn(argv[0] as string, argv.slice(1), { stdio: 'ignore' }).on('exit', () => resolve()));
}

async function md5(path: string): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function main(): Promise<void> {
  mkdirSync(work, { recursive: true });
  const dump = join(work, `dump-${megabytes}MB.txt`);
  if (!existsSync(dump)) {
    process.stderr.write(`generating ${dump} ...\n`);
    await generateDump(dump, megabytes);
  }
  const bytes = statSync(dump).size;
  const mb = bytes / 1e6;

  // Every record exact: postdump's JSON Lines must equal the naive reference's on this input.
  const ours = join(work, 'postdump.jsonl');
  const theirs = join(work, 'naive.jsonl');
  once([...postdump, 'parse', dump, '-f', 'jsonl'], ours);
  once([process.execPath, join(root, 'bench/naive.mjs'), dump], theirs);
  const exact = (await md5(ours)) === (await md5(theirs));
  const output = readFileSync(ours);
  let posts = 0;
  for (let at = output.indexOf(10); at !== -1; at = output.indexOf(10, at + 1)) posts++;

  const rows: Array<{ name: string; m: Measure; rate: string; relative: string }> = [];
  /**
   * Times a command over the dump (throughput in MB/s, compared with postdump's JSON Lines), or over
   * `count` things (pages, records) named by `unit`.
   */
  const row = (name: string, argv: string[], count?: number, unit = 'pages'): Measure => {
    process.stderr.write(`timing ${name} ...\n`);
    const m = measure(argv);
    const rate = count === undefined ? `${(mb / m.seconds).toFixed(0)} MB/s` : `${(count / m.seconds).toFixed(0)} ${unit}/s`;
    rows.push({ name, m, rate, relative: count === undefined ? `${(m.seconds / (rows[0]?.m.seconds ?? m.seconds)).toFixed(2)}` : '' });
    return m;
  };
  const jsonl = row('postdump parse -f jsonl', [...postdump, 'parse', dump, '-f', 'jsonl']);
  row('postdump parse -f json', [...postdump, 'parse', dump, '-f', 'json']);
  const csv = row('postdump parse -f csv', [...postdump, 'parse', dump, '-f', 'csv']);
  const md = row('postdump parse -f md', [...postdump, 'parse', dump, '-f', 'md']);
  const naiveNode = row('naive Node (read all, split, regex, JSON.stringify)', [process.execPath, join(root, 'bench/naive.mjs'), dump]);
  const python = has('python3') ? row('naive Python (read all, splitlines, re, json.dumps)', ['python3', join(root, 'bench/naive.py'), dump]) : null;
  const mawk = has('mawk') ? row('mawk to TSV (no escaping)', ['mawk', '-f', join(root, 'bench/split.awk'), dump]) : null;
  const cat = row('cat file \\| cat (I/O floor)', ['sh', '-c', `cat '${dump}' | cat`]);

  // Saved listing pages: the fixture page, its archive numbers changed per copy.
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
  // Outputs on tmpfs where there is one: the disk's metadata costs (a rename over an existing file
  // flushes it, on ext4) are not what this measures.
  const outRoot = existsSync('/dev/shm') ? '/dev/shm' : work;
  const outDir = (name: string): string => join(outRoot, `postdump-bench-${name}`);
  const convert = (jobs: number, out = outDir('converted')): string[] => [
    ...postdump,
    'convert',
    pages,
    '--out-dir',
    out,
    '-f',
    'jsonl',
    '--force',
    '--jobs',
    String(jobs),
  ];
  mkdirSync(outDir('merged'), { recursive: true });
  const merged = row(
    `postdump convert ${pageCount} listing pages --merge (one output)`,
    [...postdump, 'convert', pages, '--merge', join(outDir('merged'), 'all.jsonl'), '--force', '--jobs', '1'],
    pageCount,
  );
  const html1 = row(`postdump convert ${pageCount} listing pages --jobs 1`, convert(1), pageCount);
  const html2 = row(`postdump convert ${pageCount} listing pages --jobs 2`, convert(2), pageCount);
  // What two cores give here at best: two independent --jobs 1 runs side by side.
  process.stderr.write('timing two runs side by side ...\n');
  const pairTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await Promise.all([outDir('a'), outDir('b')].map((out) => exited(convert(1, out))));
    pairTimes.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  const pair = median(pairTimes);
  const ceiling = (2 * html1.seconds) / pair;
  for (const name of ['converted', 'merged', 'a', 'b']) rmSync(outDir(name), { recursive: true, force: true });
  const pagesPerSecond = pageCount / merged.seconds;

  // A synthetic crawl, gzip per record: reading it costs at least what zcat does (the floor the WARC
  // reader is measured against).
  const warc = join(work, `crawl-${captureCount}.warc.gz`);
  const warcCountsFile = `${warc}.json`;
  if (!existsSync(warc) || !existsSync(warcCountsFile)) {
    process.stderr.write(`generating ${warc} ...\n`);
    writeFileSync(warcCountsFile, JSON.stringify(await generateWarc(warc, captureCount, root)));
  }
  const warcCounts = JSON.parse(readFileSync(warcCountsFile, 'utf8')) as WarcCounts;
  const zcat = row(
    `zcat crawl.warc.gz \\| cat (${warcCounts.captures} captures, ${(warcCounts.bytes / 1e6).toFixed(0)} MB: the WARC floor)`,
    ['sh', '-c', `zcat '${warc}' | cat`],
    warcCounts.records,
    'records',
  );
  const warcArgs = [...postdump, 'parse', warc, '-f', 'jsonl'];
  const warcRead = row(
    `postdump parse crawl.warc.gz -f jsonl (${warcCounts.records} records, ${warcCounts.pages} pages)`,
    warcArgs,
    warcCounts.records,
    'records',
  );
  const warcOut = join(work, 'warc.jsonl');
  once(warcArgs, warcOut);
  const warcOutput = readFileSync(warcOut);
  let warcPosts = 0;
  for (let at = warcOutput.indexOf(10); at !== -1; at = warcOutput.indexOf(10, at + 1)) warcPosts++;

  process.stderr.write('timing start-up ...\n');
  const nodeStart = measure([process.execPath, '-e', '0'], 15);
  const ourStart = measure([...postdump, 'parse', seed], 15);

  const ratio = (a: Measure, b: Measure | null): string => (b === null ? 'n/a' : `${(a.seconds / b.seconds).toFixed(2)}×`);
  const goal = (ok: boolean): string => (ok ? 'met' : 'NOT met');
  const maxRss = Math.max(...[jsonl, csv, md].map((m) => m.rss ?? Number.NaN));
  const lines = [
    `Input: ${mb.toFixed(0)} MB generated dump, ${posts} posts; ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, Node ${process.version}; median of ${runs} runs, stdout to /dev/null.`,
    '',
    '| command | wall time | throughput | × postdump jsonl | peak RSS |',
    '|---|---:|---:|---:|---:|',
    ...rows.map(
      ({ name, m, rate, relative }) =>
        `| ${name} | ${m.seconds.toFixed(2)} s | ${rate} | ${relative} | ${m.rss === null ? 'n/a' : `${m.rss.toFixed(0)} MiB`} |`,
    ),
    `| start-up: \`node -e 0\` | ${(nodeStart.seconds * 1000).toFixed(0)} ms | | | |`,
    `| start-up: \`postdump parse fixtures/seed.txt\` | ${(ourStart.seconds * 1000).toFixed(0)} ms | | | |`,
    '',
    '| goal | measured | |',
    '|---|---:|---|',
    `| records exact (JSON Lines equal to the naive reference's) | ${exact ? 'yes' : 'NO'} | ${goal(exact)} |`,
    `| jsonl ≤ 1.0 × mawk | ${ratio(jsonl, mawk)} | ${mawk === null ? 'mawk not installed' : goal(jsonl.seconds <= mawk.seconds)} |`,
    `| jsonl ≤ 0.35 × naive Python | ${ratio(jsonl, python)} | ${python === null ? 'python3 not installed' : goal(jsonl.seconds <= 0.35 * python.seconds)} |`,
    `| jsonl ≤ 0.35 × naive Node | ${ratio(jsonl, naiveNode)} | ${goal(jsonl.seconds <= 0.35 * naiveNode.seconds)} |`,
    `| jsonl ≤ 4 × cat | ${ratio(jsonl, cat)} | ${goal(jsonl.seconds <= 4 * cat.seconds)} |`,
    `| peak RSS ≤ 100 MiB (jsonl, csv, md) | ${Number.isFinite(maxRss) ? `${maxRss.toFixed(0)} MiB` : 'n/a'} | ${Number.isFinite(maxRss) ? goal(maxRss <= 100) : 'needs /usr/bin/time'} |`,
    `| start-up ≤ 1.5 × \`node -e 0\` | ${ratio(ourStart, nodeStart)} | ${goal(ourStart.seconds <= 1.5 * nodeStart.seconds)} |`,
    `| HTML ≥ 300 listing pages/s per core (one thread, --merge) | ${pagesPerSecond.toFixed(0)} pages/s | ${goal(pagesPerSecond >= 300)} |`,
    `| convert --jobs 2 ≥ 1.7 × --jobs 1 (${cpus().length} cores) | ${(html1.seconds / html2.seconds).toFixed(2)}× | ${goal(html1.seconds / html2.seconds >= 1.7)}; two independent --jobs 1 runs side by side reach ${ceiling.toFixed(2)}× here |`,
    `| WARC: every post of its pages (${warcCounts.posts}) | ${warcPosts} | ${goal(warcPosts === warcCounts.posts)} |`,
    `| WARC: peak RSS ≤ 150 MiB | ${warcRead.rss === null ? 'n/a' : `${warcRead.rss.toFixed(0)} MiB`} | ${warcRead.rss === null ? 'needs /usr/bin/time' : goal(warcRead.rss <= 150)} |`,
    `| WARC: time × \`zcat \\| cat\` (reading and parsing ${warcCounts.pages} pages against decompressing only) | ${ratio(warcRead, zcat)} | no target: the floor |`,
  ];
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
