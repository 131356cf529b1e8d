/** `postdump convert`, end to end: folders, globs, structure, --merge, --jobs, failures, --force, progress, usage errors. */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatCsv, formatJsonLines, formatMarkdown, parse } from '../src/index.js';
import { hasCommand, repoRoot, runCli, runShell, shellQuote, startCli, stderrLines, type RunResult } from './helpers/cli.js';
import { filesBelow, outcomes, temporaryFolders } from './helpers/workspace.js';

const tempDir = temporaryFolders('convert');
const TREE = 'fixtures/commands/tree';
const TREE_FILES = ['a.txt', 'sub/b.txt', 'sub/deeper/c.txt'];
/** The summary line: `N files, ...`, or with what became of the files, `N files: R read, S hidden; ...`. */
const SUMMARY = /^postdump: info: (\d+) files?(?:: [^;]+;|,) (\d+) posts?(?:, \d+ selected)?, (\d+) warnings?, (\d+) errors?, \d+\.\d\d s$/u;
/** The tree's files: its three dumps and a Markdown note without posts, read; a hidden dump, skipped. */
const TREE_SUMMARY = 'postdump: info: 5 files: 4 read (1 without a post), 1 hidden; 4 posts, 0 warnings, 0 errors';

/** A copy of the tree (and anything else) in a fresh folder, so outputs land beside it. */
function workspace(): string {
  const dir = tempDir();
  cpSync(join(repoRoot, TREE), join(dir, 'tree'), { recursive: true });
  return dir;
}

function jsonlOf(path: string, source: string): string {
  return formatJsonLines(parse(readFileSync(path), { source }).posts);
}

function expectSummary(r: RunResult, files: number, posts: number, warnings: number, errors: number): void {
  const m = SUMMARY.exec(stderrLines(r.stderr).at(-1) ?? '');
  expect(m?.slice(1).map(Number)).toEqual([files, posts, warnings, errors]);
}

describe('convert --out-dir', () => {
  it('a folder, recursively: one output per dump, the structure kept, each equal to parse; a note without posts read as information, hidden files skipped; nothing on stdout', () => {
    const dir = workspace();
    const r = runCli(['convert', 'tree', '--out-dir', 'out', '-f', 'jsonl'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(stderrLines(r.stderr)).toHaveLength(1);
    expect(r.stderr.startsWith(TREE_SUMMARY)).toBe(true);
    expect(filesBelow(join(dir, 'out'))).toEqual(['a.jsonl', 'sub/b.jsonl', 'sub/deeper/c.jsonl']);
    for (const file of TREE_FILES) {
      const output = readFileSync(join(dir, 'out', file.replace(/\.txt$/u, '.jsonl')), 'utf8');
      expect(output).toBe(jsonlOf(join(dir, 'tree', file), join('tree', file)));
    }
  });

  it('a quoted glob: the structure below the glob’s fixed part is kept', () => {
    const dir = workspace();
    const r = runCli(['convert', 'tree/**/*.txt', '--out-dir', 'out', '-f', 'csv'], { cwd: dir });
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 0, stdout: '' });
    expect(filesBelow(join(dir, 'out'))).toEqual(['a.csv', 'sub/b.csv', 'sub/deeper/c.csv']);
    expect(readFileSync(join(dir, 'out/sub/b.csv'), 'utf8')).toBe(
      formatCsv(parse(readFileSync(join(dir, 'tree/sub/b.txt')), { source: 'tree/sub/b.txt' }).posts),
    );
    const deeper = runCli(['convert', 'tree/sub/*/*.txt', '--out-dir', 'out2', '-f', 'md'], { cwd: dir });
    expect(deeper.status).toBe(0);
    expect(filesBelow(join(dir, 'out2'))).toEqual(['deeper/c.md']);
    expect(readFileSync(join(dir, 'out2/deeper/c.md'), 'utf8')).toBe(
      formatMarkdown(parse(readFileSync(join(dir, 'tree/sub/deeper/c.txt')), { source: 'x' }).posts),
    );
  });

  it('named files land at the top of --out-dir, with the format’s extension; format flags and selection apply to each', () => {
    const dir = workspace();
    const r = runCli(
      ['convert', 'tree/a.txt', 'tree/sub/b.txt', '--out-dir', 'out', '-f', 'csv', '--excel', '--fields', 'title,readers', '--sort', 'readers'],
      { cwd: dir },
    );
    expect(r.status).toBe(0);
    expect(filesBelow(join(dir, 'out'))).toEqual(['a.csv', 'b.csv']);
    expect(readFileSync(join(dir, 'out/b.csv'), 'utf8')).toBe(
      '\uFEFFtitle,readers\r\nSeq2Seq重复解码现象的理论分析尝试,31392\r\nNyströmformer:基于矩阵分解的线性化Attention方案,43847\r\n',
    );
  });

  it('--jobs 3 writes byte-identical outputs and reports diagnostics in the same (input) order as --jobs 1', () => {
    const dir = tempDir();
    cpSync(join(repoRoot, 'fixtures/variants'), join(dir, 'in'), { recursive: true });
    const one = runCli(['convert', 'in', '--out-dir', 'one', '-f', 'json', '--jobs', '1', '-v'], { cwd: dir });
    const three = runCli(['convert', 'in', '--out-dir', 'three', '-f', 'json', '--jobs', '3', '-v'], { cwd: dir });
    // Met in a folder, an empty dump and one without posts are notes, not errors.
    expect(one.status).toBe(0);
    expect(three.status).toBe(0);
    const files = filesBelow(join(dir, 'one'));
    expect(files.length).toBeGreaterThan(15);
    expect(filesBelow(join(dir, 'three'))).toEqual(files);
    for (const file of files) expect(readFileSync(join(dir, 'three', file)).equals(readFileSync(join(dir, 'one', file)))).toBe(true);
    const withoutTime = (stderr: string): string => stderr.replace(/\d+\.\d\d s\n$/u, '');
    // On a machine of fewer than 3 cores (or little memory), -v says first that --jobs was lowered.
    const lowered = /^postdump: info: --jobs 3 lowered to [12]: .*\n/u;
    expect(withoutTime(three.stderr).replace(lowered, '')).toBe(withoutTime(one.stderr));
    // Diagnostics come file by file, in the folder's (sorted) order.
    const sources = stderrLines(one.stderr)
      .map((line) => /in\/([\w-]+)\.txt/u.exec(line)?.[1])
      .filter((s) => s !== undefined);
    expect(sources).toEqual([...sources].sort());
    expect(sources).toContain('empty');
  });

  it('a batch large enough for workers: the default jobs and --jobs 2 (this thread and a worker, in batches) write what --jobs 1 writes, and say it in the same order', () => {
    // 10 rounds of every variant and the HTML fixtures, 301 inputs: past the 256 a thread from which
    // the default starts a worker, with failing inputs spread over every batch.
    const dir = tempDir();
    for (let round = 0; round < 10; round++) {
      cpSync(join(repoRoot, 'fixtures/variants'), join(dir, 'in', `r${round}`), { recursive: true, filter: (path) => !path.endsWith('.json') });
      cpSync(join(repoRoot, 'fixtures/html'), join(dir, 'in', `r${round}`, 'html'), { recursive: true, filter: (path) => !path.endsWith('.json') });
      writeFileSync(join(dir, 'in', `r${round}`, 'zip.txt'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0xff]));
    }
    const args = (out: string, jobs: string[]): string[] => ['convert', 'in', 'missing.txt', '--out-dir', out, '-f', 'jsonl', '-v', ...jobs];
    const one = runCli(args('one', ['--jobs', '1']), { cwd: dir });
    expect(one.status).toBe(1);
    const files = filesBelow(join(dir, 'one'));
    expect(files.length).toBeGreaterThan(200);
    const withoutTime = (stderr: string): string => stderr.replace(/\d+\.\d\d s\n$/u, '');
    for (const [out, jobs] of [
      ['default', []],
      ['two', ['--jobs', '2']],
    ] as const) {
      const r = runCli(args(out, [...jobs]), { cwd: dir });
      expect(r.status).toBe(1);
      expect(withoutTime(r.stderr)).toBe(withoutTime(one.stderr));
      expect(filesBelow(join(dir, out))).toEqual(files);
      for (const file of files) expect(readFileSync(join(dir, out, file)).equals(readFileSync(join(dir, 'one', file)))).toBe(true);
    }
    const merged = (jobs: string[]): Buffer => {
      runCli(['convert', 'in', '--merge', `all${jobs.join('')}.jsonl`, '-q', ...jobs], { cwd: dir });
      return readFileSync(join(dir, `all${jobs.join('')}.jsonl`));
    };
    const mergedOne = merged(['--jobs', '1']);
    expect(mergedOne.length).toBeGreaterThan(10_000);
    expect(merged([]).equals(mergedOne)).toBe(true);
    expect(merged(['--jobs', '2']).equals(mergedOne)).toBe(true);
  });

  it('a bad input named is reported by name while the rest convert: exit 1, the summary counts it; met in a folder, it is a note', () => {
    const dir = workspace();
    writeFileSync(join(dir, 'empty.txt'), '');
    writeFileSync(join(dir, 'binary.txt'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0xff]));
    writeFileSync(join(dir, 'tree/sub/empty.txt'), '');
    writeFileSync(join(dir, 'tree/binary.txt'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0xff]));
    const r = runCli(['convert', 'tree', 'binary.txt', 'empty.txt', 'missing.txt', '--out-dir', 'out', '-f', 'jsonl'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    const lines = stderrLines(r.stderr);
    expect(lines.slice(0, -1)).toEqual([
      'postdump: error: binary.txt: binary input (a ZIP archive), not a text dump',
      'postdump: error: empty.txt: input is empty',
      'postdump: error: missing.txt: no such file',
    ]);
    expect(lines.at(-1)).toMatch(
      /^postdump: info: 10 files: 6 read \(2 without a post\), 1 not a page, 1 hidden, 2 failed; 4 posts, 0 warnings, 3 errors, \d+\.\d\d s$/u,
    );
    expect(filesBelow(join(dir, 'out'))).toEqual(['a.jsonl', 'sub/b.jsonl', 'sub/deeper/c.jsonl']);
  });

  it('existing outputs need --force (each reported, exit 1, left as they were); with --force they are replaced', () => {
    const dir = workspace();
    mkdirSync(join(dir, 'out/sub'), { recursive: true });
    writeFileSync(join(dir, 'out/sub/b.jsonl'), 'old\n');
    const r = runCli(['convert', 'tree', '--out-dir', 'out', '-f', 'jsonl'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(stderrLines(r.stderr)[0]).toBe('postdump: error: out/sub/b.jsonl already exists (use --force to overwrite)');
    expect(readFileSync(join(dir, 'out/sub/b.jsonl'), 'utf8')).toBe('old\n');
    expect(filesBelow(join(dir, 'out'))).toEqual(['a.jsonl', 'sub/b.jsonl', 'sub/deeper/c.jsonl']);
    const forced = runCli(['convert', 'tree', '--out-dir', 'out', '-f', 'jsonl', '--force'], { cwd: dir });
    expect(forced.status).toBe(0);
    expect(readFileSync(join(dir, 'out/sub/b.jsonl'), 'utf8')).toBe(jsonlOf(join(dir, 'tree/sub/b.txt'), 'tree/sub/b.txt'));
    // Atomic: no temporary file is left beside the outputs.
    expect(filesBelow(join(dir, 'out')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('never writes over an input, even with --force, whichever path reaches it', () => {
    const dir = workspace();
    mkdirSync(join(dir, 'out/sub'), { recursive: true });
    // out/sub/a.json is an input (a dump, whatever its name) and also where tree2/sub/a.txt's output goes.
    cpSync(join(dir, 'tree/a.txt'), join(dir, 'out/sub/a.json'));
    mkdirSync(join(dir, 'tree2/sub'), { recursive: true });
    cpSync(join(dir, 'tree/a.txt'), join(dir, 'tree2/sub/a.txt'));
    const before = readFileSync(join(dir, 'out/sub/a.json'));
    const r = runCli(['convert', 'tree2', 'out/sub/a.json', '--out-dir', 'out', '-f', 'json', '--force', '--jobs', '2'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(stderrLines(r.stderr)).toContain('postdump: error: out/sub/a.json is one of the inputs; refusing to overwrite it');
    expect(readFileSync(join(dir, 'out/sub/a.json')).equals(before)).toBe(true);
  });

  it('on a terminal, a progress bar on stderr, with the rate and the time left, at most ten redraws a second; not on a terminal, none (the summary only)', (ctx) => {
    ctx.skip(!hasCommand('script'), '`script` (util-linux) is not installed: no pseudo-terminal to test with');
    const dir = workspace();
    const command = `${shellQuote(process.execPath)} ${shellQuote(join(repoRoot, 'bin/postdump.js'))} convert tree --out-dir out -f md`;
    const r = runShell(`script -qec ${shellQuote(command)} /dev/null`, { cwd: dir, env: { TERM: 'xterm-256color' } });
    expect(r.stdout).toMatch(/\r\[█+\] 4\/4 files · [\d.]+ files\/s · 0 s left/u);
    // The bar is wiped before the summary is printed.
    expect(r.stdout).toMatch(/\r\u001b\[Kpostdump: info: 5 files: 4 read/u);
    // Many files: at most ten redraws a second of the run (its own time, from the summary), plus the first and the last.
    mkdirSync(join(dir, 'many'));
    for (let i = 0; i < 300; i++) cpSync(join(dir, 'tree/a.txt'), join(dir, `many/${i}.txt`));
    const many = runShell(`script -qec ${shellQuote(`${command.replace(' tree ', ' many ')} --jobs 1`)} /dev/null`, {
      cwd: dir,
      env: { TERM: 'xterm-256color' },
    });
    const seconds = Number(/, (\d+\.\d\d) s\r?\n$/u.exec(many.stdout)?.[1]);
    expect(many.stdout).toContain('300/300 files');
    expect(many.stdout.split('\r[').length - 1).toBeLessThanOrEqual(Math.ceil(seconds * 10) + 2);
    const piped = runCli(['convert', 'tree', '--out-dir', 'out2', '-f', 'md'], { cwd: dir });
    expect(piped.stderr).not.toContain('\r');
    expect(piped.stderr).not.toContain('█');
  });

  it('SIGTERM while a worker writes an output: no temporary file left behind, the finished output kept', async () => {
    const dir = tempDir();
    execFileSync('mkfifo', [join(dir, 'a.txt')]);
    cpSync(join(repoRoot, 'fixtures/seed.txt'), join(dir, 'b.txt'));
    const child = startCli(['convert', 'a.txt', 'b.txt', '--out-dir', 'out', '--jobs', '2'], { cwd: dir });
    child.stdout?.resume();
    child.stderr?.resume();
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
    // The worker converting a.txt opens its temporary output, then waits for the FIFO's first bytes.
    const writer = await open(join(dir, 'a.txt'), 'w');
    await writer.write(readFileSync(join(repoRoot, 'fixtures/seed.txt')).subarray(0, 3000));
    for (let i = 0; i < 1000 && !(existsSync(join(dir, 'out/b.json')) && readdirSync(join(dir, 'out')).some((n) => n.endsWith('.tmp'))); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(readdirSync(join(dir, 'out')).some((n) => n.startsWith('.a.json.') && n.endsWith('.tmp'))).toBe(true);
    child.kill('SIGTERM');
    expect(await exited).toBe('SIGTERM');
    await writer.close().catch(() => {});
    expect(readdirSync(join(dir, 'out'))).toEqual(['b.json']);
  });

  it('an --out-dir that is a file: exit 1, one line, nothing converted', () => {
    const dir = workspace();
    writeFileSync(join(dir, 'out'), '');
    expect(runCli(['convert', 'tree', '--out-dir', 'out'], { cwd: dir })).toMatchObject({
      status: 1,
      stdout: '',
      stderr: 'postdump: error: cannot write out: not a folder\n',
    });
  });

  it('-q: nothing at all on success', () => {
    const dir = workspace();
    const r = runCli(['convert', 'tree', '--out-dir', 'out', '-q'], { cwd: dir });
    expect(r).toMatchObject({ status: 0, stdout: '', stderr: '' });
    expect(filesBelow(join(dir, 'out'))).toEqual(['a.json', 'sub/b.json', 'sub/deeper/c.json']);
  });
});

describe('convert --merge', () => {
  it('every record into one file, in input order, equal to parse of the same inputs; --jobs 2 gives the same bytes', () => {
    const dir = workspace();
    const inputs = TREE_FILES.map((f) => `tree/${f}`);
    const one = runCli(['convert', 'tree', '--merge', 'all.jsonl', '--jobs', '1'], { cwd: dir });
    const two = runCli(['convert', 'tree', '--merge', 'all2.jsonl', '--jobs', '2'], { cwd: dir });
    expect({ status: one.status, stdout: one.stdout }).toEqual({ status: 0, stdout: '' });
    expectSummary(one, 5, 4, 0, 0);
    expect(two.status).toBe(0);
    const parsed = runCli(['parse', ...inputs, '-f', 'jsonl'], { cwd: dir }).stdout;
    expect(readFileSync(join(dir, 'all.jsonl'), 'utf8')).toBe(parsed);
    expect(readFileSync(join(dir, 'all2.jsonl'), 'utf8')).toBe(parsed);
  });

  it('with --sort, --dedupe and a failing input: the records of the good inputs are merged all the same (exit 1); --jobs 2 = --jobs 1', () => {
    const dir = tempDir();
    cpSync(join(repoRoot, 'fixtures/variants'), join(dir, 'in'), { recursive: true });
    const args = ['convert', 'in', 'missing.txt', '--sort', 'date', '--reverse', '--dedupe', '--fields', 'title,date,source'];
    const one = runCli([...args, '--merge', 'one.json', '--jobs', '1'], { cwd: dir });
    const two = runCli([...args, '--merge', 'two.json', '--jobs', '2'], { cwd: dir });
    expect(one.status).toBe(1);
    expect(two.status).toBe(1);
    expect(two.stderr.replace(/\d+\.\d\d s\n$/u, '')).toBe(one.stderr.replace(/\d+\.\d\d s\n$/u, ''));
    const merged = readFileSync(join(dir, 'one.json'), 'utf8');
    expect(readFileSync(join(dir, 'two.json'), 'utf8')).toBe(merged);
    const records = JSON.parse(merged) as { title: string; date: string; source: string }[];
    expect(records.length).toBeGreaterThan(10);
    expect(records.map((r) => r.date)).toEqual(
      records
        .map((r) => r.date)
        .sort()
        .reverse(),
    );
    expect(new Set(records.map((r) => `${r.title}|${r.date}`)).size).toBe(records.length);
  });

  it('reads standard input with -', () => {
    const dir = tempDir();
    const r = runCli(['convert', '-', '--merge', 'out.md'], { cwd: dir, input: readFileSync(join(repoRoot, 'fixtures/seed.txt')) });
    expect(r.status).toBe(0);
    expect(readFileSync(join(dir, 'out.md'), 'utf8')).toBe(formatMarkdown(parse(readFileSync(join(repoRoot, 'fixtures/seed.txt')), { source: '-' }).posts));
  });

  it('an existing merge file needs --force', () => {
    const dir = workspace();
    writeFileSync(join(dir, 'all.json'), 'old');
    const r = runCli(['convert', 'tree', '--merge', 'all.json'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(stderrLines(r.stderr)[0]).toBe('postdump: error: all.json already exists (use --force to overwrite)');
    expect(readFileSync(join(dir, 'all.json'), 'utf8')).toBe('old');
    expect(statSync(join(dir, 'all.json')).size).toBe(3);
  });
});

describe('convert: usage errors (exit 2, nothing written)', () => {
  const cases: [string, string][] = [
    [
      'tree --out-dir out --merge all.json',
      'postdump: error: --out-dir and --merge were both given: choose one output per input (--out-dir) or one merged file (--merge)',
    ],
    ['tree --merge -', 'postdump: error: convert writes files, never standard output: use postdump parse for that'],
    ['tree --out-dir out --jobs 0', 'postdump: error: --jobs expects a whole number of 1 or more, not "0"'],
    ['tree --out-dir out --jobs two', 'postdump: error: --jobs expects a whole number of 1 or more, not "two"'],
    [
      'tree --out-dir out -f xml',
      "postdump: error: option '-f, --format <format>' argument 'xml' is invalid. Allowed choices are json, jsonl (or ndjson), csv, md (or markdown).",
    ],
    ['tree --merge all.xml', 'postdump: error: cannot tell the output format from "all.xml"; add -f json|jsonl|csv|md'],
    ['tree --out-dir out --excel', 'postdump: error: --excel applies to -f csv output, not json'],
    ['tree --out-dir out --limit -1', 'postdump: error: --limit expects a whole number (0 or more), not "-1"'],
    [
      'tree/a.txt other/a.txt --out-dir out',
      'postdump: error: tree/a.txt and other/a.txt would both be written to out/a.json; convert their folder instead, or use --merge',
    ],
    ['- --out-dir out', 'postdump: error: convert --out-dir reads files: name them, or use --merge FILE (or postdump parse) for standard input'],
  ];

  it('every case, in one shell', () => {
    const dir = workspace();
    mkdirSync(join(dir, 'other'));
    cpSync(join(dir, 'tree/a.txt'), join(dir, 'other/a.txt'));
    expect(
      outcomes(
        cases.map(([args]) => `convert ${args}`),
        dir,
      ),
    ).toEqual(cases.map(([, message]) => `2 0 ${message}`));
    expect(filesBelow(dir).filter((f) => !f.startsWith('tree/') && !f.startsWith('other/'))).toEqual(['err.txt', 'out.txt']);
  });
});
