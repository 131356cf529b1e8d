/** `postdump stats`, `check` and `schema`, end to end. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RECORD_SCHEMA } from '../src/schema.js';
import type { Stats } from '../src/stats.js';
import { hasCommand, repoRoot, runCli, runShell, shellQuote, stderrLines } from './helpers/cli.js';
import { temporaryFolders } from './helpers/workspace.js';

const tempDir = temporaryFolders('report');
const SERIES = 'fixtures/commands/series.txt';
const ESC = '\u001b[';
const golden = (name: string): string => readFileSync(join(repoRoot, 'fixtures/commands/golden', name), 'utf8');

/** Runs the CLI on a pseudo-terminal (stdout and stderr both the terminal); the transcript, CRLF made LF. */
function onTerminal(args: string, env: Record<string, string | undefined>): string {
  const command = `${shellQuote(process.execPath)} ${shellQuote(join(repoRoot, 'bin/postdump.js'))} ${args}`;
  return runShell(`script -qec ${shellQuote(command)} /dev/null`, {
    env: { TERM: 'xterm-256color', COLUMNS: '100', FORCE_COLOR: undefined, ...env },
  })
    .stdout.replaceAll('\r\n', '\n')
    .replace(/^postdump: .*\n/gmu, '');
}

describe('stats', () => {
  it('prints the summary with plain bars when stdout is not a terminal (golden, checked by hand)', () => {
    const r = runCli(['stats', SERIES]);
    // The series fixture has one post twice, scraped twice.
    expect({ status: r.status, stderr: r.stderr }).toEqual({
      status: 0,
      stderr: 'postdump: info: 1 post appears more than once (2 copies); --dedupe keeps one\n',
    });
    expect(r.stdout).toBe(golden('series.stats.stdout'));
    expect(r.stdout).not.toContain(ESC);
  });

  it('--json: the same numbers for machines (golden)', async () => {
    const r = runCli(['stats', SERIES, '--json']);
    expect(r.status).toBe(0);
    await expect(r.stdout).toMatchFileSnapshot('../fixtures/commands/golden/series.stats.json');
    const stats = JSON.parse(r.stdout) as Stats;
    expect(stats.readers.top.map((t) => t.readers)).toEqual([380512, 379908, 214572, 147046, 90000]);
  });

  it('a terminal gets a coloured block chart; NO_COLOR on a terminal gets plain characters; FORCE_COLOR in a pipe gets colour', (ctx) => {
    ctx.skip(!hasCommand('script'), '`script` (util-linux) is not installed: no pseudo-terminal to test with');
    expect(onTerminal(`stats ${SERIES}`, { NO_COLOR: undefined })).toBe(golden('series.stats.ansi.stdout'));
    const plain = onTerminal(`stats ${SERIES}`, { NO_COLOR: '1' });
    expect(plain).toBe(golden('series.stats.stdout'));
    const forced = runCli(['stats', SERIES], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(forced.stdout).toContain(`${ESC}36m█`);
  });

  it('selection flags choose what is counted; --top N', () => {
    const stats = JSON.parse(runCli(['stats', SERIES, '--json', '--since', '2022-01-01', '--dedupe', '--top', '2']).stdout) as Stats;
    expect(stats.posts).toBe(6);
    expect(stats.dates).toEqual({ first: '2022-01-18', last: '2025-03-19' });
    expect(stats.readers.top.map((t) => t.readers)).toEqual([380512, 214572]);
    expect(stats.series.find((s) => s.name === '生成扩散模型漫谈')).toEqual({ name: '生成扩散模型漫谈', posts: 2, parts: [1, 2] });
  });

  it('folders and several inputs; a failing input is reported and the rest counted (exit 1)', () => {
    const r = runCli(['stats', 'fixtures/seed.txt', 'missing.txt', '--json']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('postdump: error: missing.txt: no such file\n');
    expect((JSON.parse(r.stdout) as Stats).posts).toBe(8);
    const folder = runCli(['stats', 'fixtures/commands/tree', '--json']);
    expect((JSON.parse(folder.stdout) as Stats).posts).toBe(4);
  });

  it('nothing read: nothing printed, exit 1; posts read but none selected: "0 posts", exit 0', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'empty.txt'), '');
    expect(runCli(['stats', 'empty.txt'], { cwd: dir })).toMatchObject({ status: 1, stdout: '', stderr: 'postdump: error: empty.txt: input is empty\n' });
    expect(runCli(['stats', SERIES, '--author', 'nobody'])).toMatchObject({ status: 0, stdout: '0 posts\n', stderr: '' });
  });

  it('bad values are usage errors', () => {
    expect(runCli(['stats', SERIES, '--top', '0'])).toMatchObject({
      status: 2,
      stdout: '',
      stderr: 'postdump: error: --top expects a whole number of 1 or more, not "0"\n',
    });
    expect(runCli(['stats', SERIES, '--fields', 'title'])).toMatchObject({ status: 2, stdout: '' });
  });
});

describe('check', () => {
  const BROKEN = ['fixtures/variants/broken-headers.txt', 'fixtures/variants/header-without-title.txt', 'fixtures/variants/empty.txt', 'missing.txt'];

  it('findings on stdout, each with FILE:LINE and a hint (golden); exit 1; a summary on stderr', async () => {
    const r = runCli(['check', ...BROKEN]);
    expect(r.status).toBe(1);
    await expect(r.stdout).toMatchFileSnapshot('../fixtures/commands/golden/check.stdout');
    const lines = r.stdout.trimEnd().split('\n');
    // Every finding is a FILE[:LINE]: severity: message line followed by its hint.
    for (let i = 0; i < lines.length; i += 2) {
      expect(lines[i]).toMatch(/^[\w/.-]+(:\d+)?: (warning|error): \S/u);
      expect(lines[i + 1]).toMatch(/^ {2}hint: \S/u);
    }
    expect(lines).toContain(
      'fixtures/variants/broken-headers.txt:5: warning: line looks like a post header but its date "2021-13-45" is not a real YYYY-MM-DD date; kept as excerpt text',
    );
    expect(r.stderr).toBe('postdump: info: checked 4 inputs: 4 posts, 11 warnings, 2 errors\n');
  });

  it('a clean dump: nothing on stdout, exit 0; skipped page noise (info) is shown with -v but is still clean', () => {
    expect(runCli(['check', 'fixtures/seed.txt'])).toMatchObject({
      status: 0,
      stdout: '',
      stderr: 'postdump: info: checked 1 input: 8 posts, 0 warnings, 0 errors\n',
    });
    const verbose = runCli(['check', 'fixtures/seed.txt', '-v']);
    expect(verbose.status).toBe(0);
    expect(verbose.stdout).toBe(
      'fixtures/seed.txt:33: info: skipped page noise: 1 line starting "最近评论"\n  hint: page chrome or sidebar, belongs to no post; nothing to do unless a post is missing\n',
    );
  });

  it('-q prints nothing: the exit status tells', () => {
    expect(runCli(['check', '-q', 'fixtures/seed.txt'])).toMatchObject({ status: 0, stdout: '', stderr: '' });
    expect(runCli(['check', '-q', 'fixtures/variants/broken-headers.txt'])).toMatchObject({ status: 1, stdout: '', stderr: '' });
  });

  it('--json: every diagnostic as data, info included, with message and hint', () => {
    const r = runCli(['check', '--json', 'fixtures/variants/broken-headers.txt', 'missing.txt']);
    expect(r.status).toBe(1);
    const found = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(found.map((d) => [d.code, d.severity, d.line])).toEqual([
      ['SKIPPED_NOISE', 'info', 1],
      ['BROKEN_HEADER', 'warning', 5],
      ['BROKEN_HEADER', 'warning', 7],
      ['BROKEN_HEADER', 'warning', 11],
      ['BROKEN_HEADER', 'warning', 13],
      ['BROKEN_HEADER', 'warning', 15],
      ['BROKEN_HEADER', 'warning', 17],
      ['BROKEN_HEADER', 'warning', 19],
      ['INPUT_NOT_FOUND', 'error', null],
    ]);
    expect(Object.keys(found[1] ?? {})).toEqual(['code', 'severity', 'source', 'line', 'endLine', 'detail', 'args', 'location', 'message', 'hint']);
    // A finding about a whole file has no line; its location is the file alone.
    expect(found.map((d) => d.location)).toEqual([
      ...['1', '5', '7', '11', '13', '15', '17', '19'].map((line) => `fixtures/variants/broken-headers.txt:${line}`),
      'missing.txt',
    ]);
    // The arguments, for scripts: what the message says, by name.
    expect(found.map((d) => d.args)).toEqual([
      { lines: 1, start: '本站共有1234位读者订阅' },
      { fault: 'date', date: '2021-13-45' },
      { fault: 'date', date: '2021-02-30' },
      { fault: 'shape' },
      { fault: 'shape' },
      { fault: 'no-readers' },
      { fault: 'readers', readers: '147,04,6' },
      { fault: 'no-author' },
      {},
    ]);
    expect(JSON.parse(runCli(['check', '--json', 'fixtures/seed.txt']).stdout)).toHaveLength(1);
  });

  it('folders and globs; a folder that gives no file (here: all excluded) or a glob that matches nothing is a finding', () => {
    const folder = runCli(['check', 'fixtures/commands/tree']);
    expect(folder).toMatchObject({
      status: 0,
      stdout: '',
      stderr: 'postdump: info: checked 5 files: 4 read (1 without a post), 1 hidden; 4 posts, 0 warnings, 0 errors\n',
    });
    const none = runCli(['check', 'fixtures/golden', 'fixtures/*.nothing', '--exclude', '*']);
    expect(none.status).toBe(1);
    const hint = '  hint: folders and globs give the files in them that are text dumps or pages, whatever their names; check the path and --exclude\n';
    expect(none.stdout).toBe(`fixtures/golden: error: no file to read in this folder\n${hint}fixtures/*.nothing: error: no file matches this pattern\n${hint}`);
  });

  it('standard input', () => {
    const r = runCli(['check'], { input: 'Title\nBy 苏剑林 | 2021-02-30 | 5位读者 | 引用x\n' });
    expect(r.status).toBe(1);
    expect(stderrLines(r.stdout)[0]).toBe(
      '-:2: warning: line looks like a post header but its date "2021-02-30" is not a real YYYY-MM-DD date; kept as excerpt text',
    );
  });
});

describe('schema', () => {
  it('prints the record’s JSON Schema (golden, checked by hand)', async () => {
    const r = runCli(['schema']);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(r.stdout).toBe(`${JSON.stringify(RECORD_SCHEMA, null, 2)}\n`);
    await expect(r.stdout).toMatchFileSnapshot('../fixtures/commands/golden/record.schema.json');
  });

  it('a closed pipe ends it quietly', () => {
    const r = runShell('postdump schema | head -c 1');
    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ status: 0, stdout: '{', stderr: '' });
  });
});
