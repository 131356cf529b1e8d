import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  constants,
  copyFileSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { constants as osConstants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from '../src/index.js';
import type { Post } from '../src/index.js';
import { expectNoStackTrace, hasCommand, repoRoot, runCli, runShell, seedPath, shellQuote, startCli, stderrLines, type RunResult } from './helpers/cli.js';
import { readJsonLines } from './helpers/read-back.js';

const seed = readFileSync(seedPath);
const SEED_SOURCE = 'fixtures/seed.txt';
const SEED_NOISE = 'postdump: info: fixtures/seed.txt:33: skipped page noise: 1 line starting "最近评论"';
const ESC = '\u001b[';
const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };

/** A second, small dump: two posts, nothing else. */
const SMALL_DUMP = [
  '第一篇小文章',
  'By 苏剑林 | 2023-05-01 | 1,234位读者 | 引用第一段。',
  '第二段。',
  '第二篇小文章',
  'By Jianlin Su | 2024-02-29 | 99 readers |',
  'English paragraph.',
  '',
].join('\n');

/** A dump whose second header is broken (a month 13): one warning at line 3. */
const BROKEN_DUMP = [
  'Title A',
  'By 苏剑林 | 2021-01-22 | 100位读者 | 引用first para',
  'By 苏剑林 | 2021-13-45 | 5位读者 | 引用broken',
  'Title B',
  'By 苏剑林 | 2021-02-01 | 200位读者 | 引用second',
  '',
].join('\n');

// ---------------------------------------------------------------------------------------------
// Temporary folders, all removed at the end.

const temporaries: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'postdump-cli-'));
  temporaries.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of temporaries) rmSync(dir, { recursive: true, force: true });
});

/** A folder holding `seed.txt` (a copy of the fixture) and any other named files. */
function workspace(files: Record<string, string | Uint8Array> = {}): string {
  const dir = tempDir();
  copyFileSync(seedPath, join(dir, 'seed.txt'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

const ls = (dir: string): string[] => readdirSync(dir).sort();

// ---------------------------------------------------------------------------------------------
// Assertions.

function parseJson(stdout: string): Post[] {
  return JSON.parse(stdout) as Post[];
}

/** Exit status `status`, nothing on stdout, and exactly `line` (one line) on stderr. */
function expectOneLineFailure(r: RunResult, status: number, line: string | RegExp): void {
  expect({ status: r.status, stdout: r.stdout }).toEqual({ status, stdout: '' });
  expectNoStackTrace(r.stderr);
  expect(r.stderr.endsWith('\n')).toBe(true);
  const lines = stderrLines(r.stderr);
  expect(lines).toHaveLength(1);
  if (typeof line === 'string') expect(lines[0]).toBe(line);
  else expect(lines[0]).toMatch(line);
}

/** The seed's records as the library sees them. */
function seedPosts(source = SEED_SOURCE): Post[] {
  return parse(seed, { source }).posts;
}

// ---------------------------------------------------------------------------------------------

describe('parse: the seed dump', () => {
  it('prints JSON with 8 records, byte-identical to JSON.stringify(posts, null, 2), nothing on stderr', () => {
    const r = runCli(['parse', 'fixtures/seed.txt']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const posts = parseJson(r.stdout);
    expect(posts).toHaveLength(8);
    expect(r.stdout).toBe(`${JSON.stringify(posts, null, 2)}\n`);
    expect(posts).toEqual(seedPosts());
    expect(posts.every((p) => p.source === SEED_SOURCE)).toBe(true);
    expect(Object.keys(posts[0] ?? {})).toEqual(['title', 'author', 'date', 'readers', 'excerpt', 'url', 'id', 'source', 'line']);
    expect(r.stdoutBytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
  });

  it('--compact prints one line', () => {
    const r = runCli(['parse', 'fixtures/seed.txt', '--compact']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`${JSON.stringify(seedPosts())}\n`);
  });

  it('-f jsonl prints one compact record per line', () => {
    const r = runCli(['parse', 'fixtures/seed.txt', '-f', 'jsonl']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      seedPosts()
        .map((p) => `${JSON.stringify(p)}\n`)
        .join(''),
    );
  });

  it('-f csv prints a header row and 8 rows', () => {
    const r = runCli(['parse', 'fixtures/seed.txt', '-f', 'csv']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const rows = parseCsv(r.stdout) as string[][];
    expect(rows[0]).toEqual(['title', 'author', 'date', 'readers', 'excerpt', 'url', 'id', 'source', 'line']);
    expect(rows).toHaveLength(9);
    expect(rows.slice(1).map((row) => row[0])).toEqual(seedPosts().map((p) => p.title));
  });

  it('-f md prints one section per post', () => {
    const r = runCli(['parse', 'fixtures/seed.txt', '-f', 'md']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n').filter((l) => l.startsWith('## '))).toHaveLength(8);
  });

  it('-v reports the skipped sidebar and a summary on stderr; stdout is unchanged', () => {
    const plain = runCli(['parse', 'fixtures/seed.txt']);
    const r = runCli(['parse', 'fixtures/seed.txt', '-v']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(plain.stdout);
    const lines = stderrLines(r.stderr);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(SEED_NOISE);
    expect(lines[1]).toMatch(/^postdump: info: .*\b8 posts\b/);
  });

  it('the jq pipeline from --help works', (ctx) => {
    ctx.skip(!hasCommand('jq'), 'jq is not installed');
    const r = runShell(`set -o pipefail; postdump parse fixtures/seed.txt -f jsonl | jq -r 'select(.readers > 100000) | .title'`);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      seedPosts()
        .filter((p) => (p.readers ?? 0) > 100000)
        .map((p) => `${p.title}\n`)
        .join(''),
    );
  });
});

describe('parse: standard input and several inputs', () => {
  const fromFile = seedPosts('-');

  it('no input argument reads stdin, with source "-"', () => {
    const r = runCli(['parse'], { input: seed });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(parseJson(r.stdout)).toEqual(fromFile);
  });

  it('"-" reads stdin, with source "-"', () => {
    const r = runCli(['parse', '-'], { input: seed });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(parseJson(r.stdout)).toEqual(fromFile);
  });

  it('stdin read from a redirected file gives the same records', () => {
    const r = runShell('postdump parse - < fixtures/seed.txt');
    expect(r.status).toBe(0);
    expect(parseJson(r.stdout)).toEqual(fromFile);
  });

  it('empty stdin is an "input is empty" error', () => {
    expectOneLineFailure(runCli(['parse'], { input: '' }), 1, 'postdump: error: -: input is empty');
  });

  it('the seed twice gives one JSON array of 16 records in order', () => {
    const r = runCli(['parse', 'fixtures/seed.txt', 'fixtures/seed.txt']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.match(/^\[/gm)).toHaveLength(1);
    expect(parseJson(r.stdout)).toEqual([...seedPosts(), ...seedPosts()]);
  });

  it('seed + a second dump + stdin give one array, in argument order, each with its source', () => {
    const dir = workspace({ 'small.txt': SMALL_DUMP });
    const r = runCli(['parse', 'seed.txt', 'small.txt', '-'], { cwd: dir, input: SMALL_DUMP });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const posts = parseJson(r.stdout);
    expect(posts.map((p) => [p.source, p.title])).toEqual([
      ...seedPosts().map((p) => ['seed.txt', p.title]),
      ['small.txt', '第一篇小文章'],
      ['small.txt', '第二篇小文章'],
      ['-', '第一篇小文章'],
      ['-', '第二篇小文章'],
    ]);
    expect(posts.at(-2)).toEqual({
      title: '第一篇小文章',
      author: '苏剑林',
      date: '2023-05-01',
      readers: 1234,
      excerpt: '第一段。\n第二段。',
      url: null,
      id: null,
      source: '-',
      line: 2,
    });
  });

  it('several inputs in JSON Lines are concatenated', () => {
    const dir = workspace({ 'small.txt': SMALL_DUMP });
    const r = runCli(['parse', 'small.txt', 'seed.txt', '-f', 'jsonl'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(readJsonLines(r.stdout).map((p) => p.source)).toEqual(['small.txt', 'small.txt', ...Array<string>(8).fill('seed.txt')]);
  });
});

// Bad inputs, unknown flags and bad values, and failing inputs among good ones are in
// bad-inputs.test.ts, for every command.
describe('parse: failures with -q or an unwritable stderr', () => {
  let dir = '';
  beforeAll(() => {
    dir = workspace();
  });

  it('an unwritable stderr (2>/dev/full) changes nothing else: no crash, same exit status', (ctx) => {
    ctx.skip(!existsSync('/dev/full'), 'no /dev/full on this system');
    const failed = runShell('postdump parse missing.txt 2>/dev/full', { cwd: dir });
    expect({ status: failed.status, stdout: failed.stdout }).toEqual({ status: 1, stdout: '' });
    const ok = runShell('postdump parse seed.txt -v -f jsonl 2>/dev/full', { cwd: dir });
    expect(ok.status).toBe(0);
    expect(readJsonLines(ok.stdout)).toEqual(seedPosts('seed.txt'));
  });

  it('-q still shows errors', () => {
    expectOneLineFailure(runCli(['parse', 'missing.txt', '-q'], { cwd: dir }), 1, 'postdump: error: missing.txt: no such file');
  });
});

describe('parse: warnings, --strict and -q', () => {
  let dir = '';
  const warning = /^postdump: warning: broken\.txt:3: .*2021-13-45/;
  beforeAll(() => {
    dir = workspace({ 'broken.txt': BROKEN_DUMP });
  });

  it('without --strict: exit 0, the records, and one warning with FILE:LINE', () => {
    const r = runCli(['parse', 'broken.txt'], { cwd: dir });
    expect(r.status).toBe(0);
    expectNoStackTrace(r.stderr);
    const lines = stderrLines(r.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(warning);
    expect(parseJson(r.stdout).map((p) => p.title)).toEqual(['Title A', 'Title B']);
  });

  it('--strict: exit 1 and the warning shown as an error', () => {
    const r = runCli(['parse', 'broken.txt', '--strict'], { cwd: dir });
    expect(r.status).toBe(1);
    expectNoStackTrace(r.stderr);
    const lines = stderrLines(r.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^postdump: error: broken\.txt:3: .*2021-13-45/);
    expect(lines[0]?.replace(/^postdump: error: /, '')).toBe(
      stderrLines(runCli(['parse', 'broken.txt'], { cwd: dir }).stderr)[0]?.replace(/^postdump: warning: /, ''),
    );
  });

  it('-q hides the warning', () => {
    const r = runCli(['parse', 'broken.txt', '-q'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(parseJson(r.stdout)).toHaveLength(2);
  });

  it('-q --strict still shows it (it is an error now) and exits 1', () => {
    const r = runCli(['parse', 'broken.txt', '-q', '--strict'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(stderrLines(r.stderr)).toHaveLength(1);
    expect(stderrLines(r.stderr)[0]).toMatch(/^postdump: error: broken\.txt:3: /);
  });

  it('--strict with -o: the failed run writes no file', () => {
    const r = runCli(['parse', 'broken.txt', '--strict', '-o', 'out.json'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(ls(dir)).toEqual(['broken.txt', 'seed.txt']);
  });
});

describe('parse: a closed or slow reader', () => {
  let dir = '';
  let big = '';
  const copies = 2500;
  beforeAll(() => {
    dir = tempDir();
    big = join(dir, 'big.txt');
    // The seed (33 lines, 8 posts, no final newline) repeated: about 20 MB, 20 000 posts.
    writeFileSync(big, Buffer.concat(Array.from({ length: copies }, () => Buffer.concat([seed, Buffer.from('\n')]))));
  });

  it('| head -1 (JSON Lines): status 0, one line, nothing on stderr', () => {
    const r = runShell(`set -o pipefail; postdump parse ${shellQuote(big)} -f jsonl | head -1`);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(stderrLines(r.stdout)).toHaveLength(1);
    expect((JSON.parse(r.stdout) as Post).title).toBe(seedPosts()[0]?.title);
  });

  it('| head -1 (JSON): status 0, one line, nothing on stderr', () => {
    const r = runShell(`set -o pipefail; postdump parse ${shellQuote(big)} | head -1`);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('[\n');
  });

  it('| head -c 100: status 0, 100 bytes, nothing on stderr', () => {
    const r = runShell(`set -o pipefail; postdump parse -f jsonl ${shellQuote(big)} | head -c 100`);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdoutBytes).toHaveLength(100);
  });

  it('| head -1 with CSV and Markdown output too', () => {
    for (const format of ['csv', 'md']) {
      const r = runShell(`set -o pipefail; postdump parse -f ${format} ${shellQuote(big)} | head -1`);
      expect({ format, status: r.status, stderr: r.stderr }).toEqual({ format, status: 0, stderr: '' });
    }
  });

  it('| head -1 after an input that failed: the failure still counts (exit 1, its one line)', () => {
    // Judgement call (the brief is silent): the closed pipe itself is no failure, but an input that
    // could not be read was already reported, and pipefail scripts should see it.
    const r = runShell(`set -o pipefail; postdump parse missing.txt ${shellQuote(big)} -f jsonl | head -1`);
    expect(stderrLines(r.stderr)).toEqual(['postdump: error: missing.txt: no such file']);
    expect(stderrLines(r.stdout)).toHaveLength(1);
    expect(r.status).toBe(1);
  });

  it('a slow reader gets every record (backpressure, not truncation)', () => {
    const r = runShell(`set -o pipefail; postdump parse ${shellQuote(big)} -f jsonl | (sleep 2; wc -l)`);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(String(copies * 8));
  });

  it('> /dev/full with a 20 MB dump: exit 1, one line about the full disk, no stack trace', (ctx) => {
    // A small output to /dev/full, for every command, is in bad-inputs.test.ts.
    ctx.skip(!existsSync('/dev/full'), 'no /dev/full on this system');
    const r = runShell(`postdump parse ${shellQuote(big)} -f jsonl > /dev/full`);
    expect(r.status).toBe(1);
    expectNoStackTrace(r.stderr);
    const lines = stderrLines(r.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^postdump: error: .*no space left on device/);
  });
});

describe('parse -o FILE', () => {
  it.each([
    ['out.json', []],
    ['out.jsonl', ['-f', 'jsonl']],
    ['out.ndjson', ['-f', 'jsonl']],
    ['out.csv', ['-f', 'csv']],
    ['out.md', ['-f', 'md']],
    ['out.markdown', ['-f', 'md']],
  ])('-o %s infers the format, writes the file, prints nothing', (name, formatArgs) => {
    const dir = workspace();
    const r = runCli(['parse', 'seed.txt', '-o', name], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('');
    expect(ls(dir)).toEqual([name, 'seed.txt'].sort());
    const expected = runCli(['parse', 'seed.txt', ...formatArgs], { cwd: dir }).stdoutBytes;
    expect(readFileSync(join(dir, name)).equals(expected)).toBe(true);
  });

  it('-o - is standard output', () => {
    const dir = workspace();
    const r = runCli(['parse', 'seed.txt', '-o', '-', '-f', 'jsonl'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')).toHaveLength(9);
    expect(ls(dir)).toEqual(['seed.txt']);
  });

  it('-f wins over the extension', () => {
    const dir = workspace();
    const r = runCli(['parse', 'seed.txt', '-f', 'jsonl', '-o', 'out.json'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(readFileSync(join(dir, 'out.json')).equals(runCli(['parse', 'seed.txt', '-f', 'jsonl'], { cwd: dir }).stdoutBytes)).toBe(true);
  });

  it('an unknown extension is fine with -f', () => {
    const dir = workspace();
    const r = runCli(['parse', 'seed.txt', '-f', 'json', '-o', 'out.txt'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(readFileSync(join(dir, 'out.txt'), 'utf8')).toBe(runCli(['parse', 'seed.txt'], { cwd: dir }).stdout);
  });

  it('refuses an existing file without --force (old content intact)', () => {
    const dir = workspace({ 'out.json': 'old content\n' });
    expectOneLineFailure(
      runCli(['parse', 'seed.txt', '-o', 'out.json'], { cwd: dir }),
      1,
      'postdump: error: out.json already exists (use --force to overwrite)',
    );
    expect(readFileSync(join(dir, 'out.json'), 'utf8')).toBe('old content\n');
    expect(ls(dir)).toEqual(['out.json', 'seed.txt']);
  });

  it('overwrites with --force, keeping the old file mode', () => {
    const dir = workspace({ 'out.json': 'old content\n' });
    chmodSync(join(dir, 'out.json'), 0o640);
    const r = runCli(['parse', 'seed.txt', '-o', 'out.json', '--force'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('');
    expect(readFileSync(join(dir, 'out.json')).equals(runCli(['parse', 'seed.txt'], { cwd: dir }).stdoutBytes)).toBe(true);
    expect(statSync(join(dir, 'out.json')).mode & 0o7777).toBe(0o640);
    expect(ls(dir)).toEqual(['out.json', 'seed.txt']);
  });

  it('a new file gets the usual mode (umask applied, not the temporary file mode)', () => {
    const dir = workspace();
    const r = runShell('umask 022; postdump parse seed.txt -o out.json', { cwd: dir });
    expect(r.status).toBe(0);
    expect(statSync(join(dir, 'out.json')).mode & 0o777).toBe(0o644);
  });

  describe('refuses to overwrite an input, even with --force', () => {
    const cases: [string, (dir: string) => void, string[], string][] = [
      ['the same path', () => {}, ['dump.txt', '-f', 'json', '-o', 'dump.txt'], 'dump.txt'],
      ['./path', () => {}, ['dump.txt', '-f', 'json', '-o', './dump.txt'], './dump.txt'],
      ['an absolute path', () => {}, ['dump.txt', '-f', 'json', '-o', '$DIR/dump.txt'], '$DIR/dump.txt'],
      ['a symlink to the input', (dir) => symlinkSync('dump.txt', join(dir, 'link.json')), ['dump.txt', '-o', 'link.json'], 'link.json'],
      ['the input given through a symlink', (dir) => symlinkSync('dump.txt', join(dir, 'link.txt')), ['link.txt', '-f', 'json', '-o', 'dump.txt'], 'dump.txt'],
      ['a hard link to the input', (dir) => linkSync(join(dir, 'dump.txt'), join(dir, 'hard.json')), ['dump.txt', '-o', 'hard.json'], 'hard.json'],
      ['one input among several', () => {}, ['seed.txt', 'dump.txt', '-f', 'json', '-o', 'dump.txt'], 'dump.txt'],
    ];
    it.each(cases)('%s', (_name, setup, args, shown) => {
      const dir = workspace({ 'dump.txt': SMALL_DUMP });
      setup(dir);
      const before = ls(dir);
      const sub = (s: string): string => s.replace('$DIR', dir);
      const r = runCli(['parse', ...args.map(sub), '--force'], { cwd: dir });
      expectOneLineFailure(r, 1, `postdump: error: ${sub(shown)} is one of the inputs; refusing to overwrite it`);
      expect(readFileSync(join(dir, 'dump.txt'), 'utf8')).toBe(SMALL_DUMP);
      expect(ls(dir)).toEqual(before);
      for (const name of before) {
        if (name.startsWith('link')) expect(lstatSync(join(dir, name)).isSymbolicLink()).toBe(true);
      }
    });

    it('the input read as stdin (< dump.txt)', () => {
      const dir = workspace({ 'dump.txt': SMALL_DUMP });
      const r = runShell('postdump parse - -f json -o dump.txt --force < dump.txt', { cwd: dir });
      expectOneLineFailure(r, 1, 'postdump: error: dump.txt is one of the inputs; refusing to overwrite it');
      expect(readFileSync(join(dir, 'dump.txt'), 'utf8')).toBe(SMALL_DUMP);
      expect(ls(dir)).toEqual(['dump.txt', 'seed.txt']);
    });
  });

  describe('-o a device or a FIFO: written into, as by the shell', () => {
    // Readers run under `timeout`: a postdump that never opened the FIFO must fail the test, not hang it.
    const fifoWorkspace = (): string => {
      const dir = workspace({ 'big.txt': Buffer.concat(Array.from({ length: 3000 }, () => Buffer.concat([seed, Buffer.from('\n')]))) });
      execFileSync('mkfifo', [join(dir, 'pipe')]);
      return dir;
    };

    it('without --force, and with it the FIFO or device stays what it was', () => {
      const dir = fifoWorkspace();
      const script = [
        'timeout 10 cat pipe > read.jsonl & postdump parse seed.txt -f jsonl -o pipe; echo $?; wait',
        'timeout 10 cat pipe > forced.jsonl & postdump parse seed.txt -f jsonl -o pipe --force; echo $?; wait',
        'postdump parse seed.txt -f json -o /dev/null; echo $?',
      ].join('\n');
      const r = runShell(script, { cwd: dir });
      expect({ stdout: r.stdout, stderr: r.stderr }).toEqual({ stdout: '0\n0\n0\n', stderr: '' });
      for (const name of ['read.jsonl', 'forced.jsonl']) expect(readJsonLines(readFileSync(join(dir, name), 'utf8'))).toEqual(seedPosts('seed.txt'));
      expect(lstatSync(join(dir, 'pipe')).isFIFO()).toBe(true);
      expect(lstatSync('/dev/null').isCharacterDevice()).toBe(true);
      expect(ls(dir)).toEqual(['big.txt', 'forced.jsonl', 'pipe', 'read.jsonl', 'seed.txt']);
    });

    it('a reader that leaves early: a quiet end, exit 0, as on standard output', () => {
      const dir = fifoWorkspace();
      const r = runShell('timeout 10 head -c 100 pipe > head.txt & postdump parse big.txt -f jsonl -o pipe; echo $?; wait', { cwd: dir });
      expect({ stdout: r.stdout, stderr: r.stderr }).toEqual({ stdout: '0\n', stderr: '' });
      expect(readFileSync(join(dir, 'head.txt'))).toHaveLength(100);
    });

    it('a run that fails after writing ends its document there, as on standard output: valid JSON, exit 1', () => {
      const dir = fifoWorkspace();
      const r = runShell('timeout 10 cat pipe > read.json & postdump parse big.txt missing.txt -f json -o pipe; echo $?; wait', { cwd: dir });
      expect({ stdout: r.stdout, stderr: r.stderr }).toEqual({ stdout: '1\n', stderr: 'postdump: error: missing.txt: no such file\n' });
      expect(JSON.parse(readFileSync(join(dir, 'read.json'), 'utf8'))).toHaveLength(3000 * 8);
    });

    it('one that cannot be opened (a socket) is a one-line error, exit 1', () => {
      const dir = workspace();
      // A listening socket's file stays when its process exits without closing it.
      runShell(`"$POSTDUMP_NODE" -e "require('node:net').createServer().listen('sock', () => process.exit())"`, { cwd: dir });
      expect(lstatSync(join(dir, 'sock')).isSocket()).toBe(true);
      expectOneLineFailure(
        runCli(['parse', 'seed.txt', '-f', 'json', '-o', 'sock'], { cwd: dir }),
        1,
        'postdump: error: cannot write sock: no such device or address',
      );
    });
  });

  it('-o into a missing folder: exit 1, one line', () => {
    const dir = workspace();
    expectOneLineFailure(
      runCli(['parse', 'seed.txt', '-o', 'nodir/out.json'], { cwd: dir }),
      1,
      /^postdump: error: .*nodir\/out\.json.*(no such|not found|does not exist)/,
    );
    expect(ls(dir)).toEqual(['seed.txt']);
  });

  it('-o under a file (not a folder): exit 1, one line', () => {
    const dir = workspace();
    expectOneLineFailure(
      runCli(['parse', 'seed.txt', '-o', 'seed.txt/out.json'], { cwd: dir }),
      1,
      /^postdump: error: .*seed\.txt\/out\.json: .*not a directory/,
    );
    expect(ls(dir)).toEqual(['seed.txt']);
    expect(readFileSync(join(dir, 'seed.txt')).equals(seed)).toBe(true);
  });

  it('-o naming a folder: exit 1, one line', () => {
    const dir = workspace();
    mkdirSync(join(dir, 'sub'));
    expectOneLineFailure(runCli(['parse', 'seed.txt', '-f', 'json', '-o', 'sub', '--force'], { cwd: dir }), 1, /^postdump: error: .*sub.*directory/);
    expect(ls(dir)).toEqual(['seed.txt', 'sub']);
    expect(ls(join(dir, 'sub'))).toEqual([]);
  });

  it('a run that finds no post leaves no output file', () => {
    const dir = workspace({ 'prose.txt': 'nothing\nto see\n' });
    const r = runCli(['parse', 'prose.txt', '-o', 'out.json'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(ls(dir)).toEqual(['prose.txt', 'seed.txt']);
  });

  it('a run that fails keeps the old file with --force', () => {
    const dir = workspace({ 'prose.txt': 'nothing\nto see\n', 'out.json': 'old\n' });
    const r = runCli(['parse', 'prose.txt', '-o', 'out.json', '--force'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(readFileSync(join(dir, 'out.json'), 'utf8')).toBe('old\n');
    expect(ls(dir)).toEqual(['out.json', 'prose.txt', 'seed.txt']);
  });

  it('a missing input among good ones: the run failed, so no output file', () => {
    const dir = workspace();
    const r = runCli(['parse', 'seed.txt', 'missing.txt', '-o', 'out.json'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(stderrLines(r.stderr)).toEqual(['postdump: error: missing.txt: no such file']);
    expect(ls(dir)).toEqual(['seed.txt']);
  });
});

describe('parse -o FILE interrupted by SIGTERM', () => {
  /** Polls `ready` until it holds; the deadline only guards against a hang. */
  async function waitFor(ready: () => boolean, what: string): Promise<void> {
    for (let i = 0; i < 1000; i++) {
      if (ready()) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  interface Interrupted {
    dir: string;
    stderr: string;
    code: number | null;
    signal: NodeJS.Signals | null;
  }

  /**
   * Starts `parse in.fifo -o out.json` (with --force when `old` is given, after writing `old` to
   * out.json), optionally feeds it part of the seed through the FIFO, waits until its temporary
   * output file exists, then sends `signal`.
   */
  async function interrupt(old: string | null, signal: NodeJS.Signals, feed: boolean): Promise<Interrupted> {
    if (!hasCommand('mkfifo')) throw new Error('mkfifo is required');
    const dir = tempDir();
    const fifo = join(dir, 'in.fifo');
    execFileSync('mkfifo', [fifo]);
    if (old !== null) writeFileSync(join(dir, 'out.json'), old);
    const child = startCli(['parse', 'in.fifo', '-o', 'out.json', ...(old === null ? [] : ['--force'])], { cwd: dir });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdout?.resume();
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, sig) => resolve({ code, signal: sig })),
    );

    let handle: FileHandle | null = null;
    if (feed) {
      // Opening the FIFO for writing waits until the child opens it for reading.
      const opening = open(fifo, 'w');
      const writer = await Promise.race([opening, exited.then(() => null)]);
      if (writer === null) {
        // The child ended first: unblock our pending open, then fail.
        const unblock = await open(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
        await (await opening).close();
        await unblock.close();
        throw new Error(`the CLI ended before reading its input: ${stderr}`);
      }
      handle = writer;
      await handle.write(seed.subarray(0, 4000));
    }
    // The output is being written into a temporary file beside out.json by now.
    await waitFor(() => ls(dir).some((n) => n.endsWith('.tmp')) || child.exitCode !== null, 'the temporary output file');
    expect(child.exitCode).toBeNull();
    child.kill(signal);
    const result = await exited;
    if (handle !== null) await handle.close().catch(() => {});
    return { dir, stderr, ...result };
  }

  /** The interrupted run did not report success: it ended by the signal (or an exit status 128+N). */
  function expectKilled(r: Interrupted, signal: NodeJS.Signals): void {
    const number = osConstants.signals[signal];
    expect(r.signal === signal || r.code === 128 + number).toBe(true);
    expectNoStackTrace(r.stderr);
  }

  it('SIGTERM mid-input: no out.json and no temporary file', async () => {
    const r = await interrupt(null, 'SIGTERM', true);
    expectKilled(r, 'SIGTERM');
    expect(ls(r.dir)).toEqual(['in.fifo']);
  });

  it('SIGTERM mid-input with --force: the old out.json intact, no temporary file', async () => {
    const r = await interrupt('old content\n', 'SIGTERM', true);
    expectKilled(r, 'SIGTERM');
    expect(ls(r.dir)).toEqual(['in.fifo', 'out.json']);
    expect(readFileSync(join(r.dir, 'out.json'), 'utf8')).toBe('old content\n');
  });

  it('SIGTERM while still waiting for the input to open: no temporary file', async () => {
    const r = await interrupt(null, 'SIGTERM', false);
    expectKilled(r, 'SIGTERM');
    expect(ls(r.dir)).toEqual(['in.fifo']);
  });

  it('SIGINT (Ctrl-C) mid-input with --force: the old out.json intact, no temporary file', async () => {
    const r = await interrupt('old content\n', 'SIGINT', true);
    expectKilled(r, 'SIGINT');
    expect(ls(r.dir)).toEqual(['in.fifo', 'out.json']);
    expect(readFileSync(join(r.dir, 'out.json'), 'utf8')).toBe('old content\n');
  });
});

describe('colour', () => {
  let dir = '';
  beforeAll(() => {
    dir = workspace({ 'broken.txt': BROKEN_DUMP });
  });

  it('NO_COLOR=1: no ANSI escapes in errors, warnings or info', () => {
    for (const args of [
      ['parse', 'missing.txt'],
      ['parse', 'broken.txt', '-v'],
      ['parse', '--bogus'],
    ]) {
      const r = runCli(args, { cwd: dir, env: { NO_COLOR: '1', FORCE_COLOR: undefined } });
      expect(r.stderr).not.toBe('');
      expect(r.stderr).not.toContain(ESC);
    }
  });

  it('FORCE_COLOR=1 without NO_COLOR: the error label is coloured even though stderr is a pipe', () => {
    const r = runCli(['parse', 'missing.txt'], { cwd: dir, env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(ESC);
    expect(r.stderr.replace(/\u001b\[[0-9;]*m/g, '')).toBe('postdump: error: missing.txt: no such file\n');
  });

  it('a pipe without FORCE_COLOR or NO_COLOR: no colour', () => {
    const r = runCli(['parse', 'missing.txt'], { cwd: dir, env: { NO_COLOR: undefined, FORCE_COLOR: undefined, TERM: 'xterm-256color' } });
    expect(r.stderr).toBe('postdump: error: missing.txt: no such file\n');
  });

  it('on a real terminal (script): colour unless NO_COLOR is set', (ctx) => {
    ctx.skip(!hasCommand('script'), '`script` (util-linux) is not installed: no pseudo-terminal to test with');
    const command = `${shellQuote(process.execPath)} ${shellQuote(join(repoRoot, 'bin/postdump.js'))} parse missing.txt`;
    const run = (env: Record<string, string | undefined>): RunResult =>
      runShell(`script -qec ${shellQuote(command)} /dev/null`, { cwd: dir, env: { TERM: 'xterm-256color', FORCE_COLOR: undefined, ...env } });
    const plain = run({ NO_COLOR: '1' });
    expect(plain.stdout).toContain('postdump: error: missing.txt: no such file');
    expect(plain.stdout).not.toContain(ESC);
    const coloured = run({ NO_COLOR: undefined });
    expect(coloured.stdout).toContain('missing.txt');
    expect(coloured.stdout).toContain(ESC);
  });
});

describe('help and version', () => {
  it.each([[['--help']], [['parse', '--help']], [['help', 'parse']]])('%j: exit 0, on stdout, with examples, a jq pipeline and the exit statuses', (args) => {
    const r = runCli(args);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toMatch(/postdump parse .*\| jq /);
    expect(r.stdout).toMatch(/Exit status:[\s\S]*\b0\b.*success[\s\S]*\b1\b[\s\S]*\b2\b.*usage/);
  });

  it('--version and -V print the package.json version', () => {
    for (const flag of ['--version', '-V']) {
      const r = runCli([flag]);
      expect(r.status).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(`${version}\n`);
    }
  });

  it('an unknown command is a usage error', () => {
    const r = runCli(['bogus']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expectNoStackTrace(r.stderr);
    expect(stderrLines(r.stderr)[0]).toMatch(/^postdump: error: unknown command 'bogus'/);
  });
});
