/**
 * The command line as a new user meets it (issue 15's "manners"), end to end: format names as
 * people type them, usage errors that say what was wrong and how the command is called, name
 * clashes that say how to tell the inputs apart, --color, and the progress line.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasCommand, repoRoot, runCli, runShell, seedPath, shellQuote } from './helpers/cli.js';
import { filesBelow, temporaryFolders } from './helpers/workspace.js';

const tempDir = temporaryFolders('manners');

describe('-f takes the names people type', () => {
  it.each([
    ['ndjson', 'jsonl'],
    ['JSON', 'json'],
    ['Markdown', 'md'],
    ['markdown', 'md'],
    ['CSV', 'csv'],
    ['JsonL', 'jsonl'],
  ])('-f %s writes what -f %s writes', (alias, format) => {
    const r = runCli(['parse', seedPath, '-f', alias]);
    expect(r.status).toBe(0);
    expect(r.stdoutBytes.equals(runCli(['parse', seedPath, '-f', format]).stdoutBytes)).toBe(true);
  });

  it('an alias counts as its format for the flags of one format', () => {
    expect(runCli(['parse', seedPath, '-f', 'Markdown', '--table']).status).toBe(0);
    expect(runCli(['parse', seedPath, '-f', 'NDJSON', '--compact'])).toMatchObject({
      status: 2,
      stderr: 'postdump: error: --compact applies to -f json output, not jsonl\n',
    });
  });
});

describe('usage errors say what was wrong, and how the command is called', () => {
  const usage = 'usage: postdump convert <inputs...> (--out-dir DIR | --merge FILE) [options]; see postdump convert --help\n';

  it('convert without inputs: the missing argument, then the usage line', () => {
    expect(runCli(['convert'])).toMatchObject({ status: 2, stdout: '', stderr: `postdump: error: missing required argument 'inputs'\n${usage}` });
  });

  it('convert without --out-dir or --merge: what each would do, then the usage line', () => {
    expect(runCli(['convert', seedPath])).toMatchObject({
      status: 2,
      stdout: '',
      stderr: `postdump: error: convert needs --out-dir DIR (one output per input) or --merge FILE (one file of every record)\n${usage}`,
    });
  });

  it('convert with --out-dir and --merge: both were given', () => {
    expect(runCli(['convert', seedPath, '--out-dir', 'o', '--merge', 'm.json'])).toMatchObject({
      status: 2,
      stdout: '',
      stderr: 'postdump: error: --out-dir and --merge were both given: choose one output per input (--out-dir) or one merged file (--merge)\n',
    });
  });

  it('a mistyped flag stays one line', () => {
    expect(runCli(['convert', seedPath, '--bogus']).stderr).toBe("postdump: error: unknown option '--bogus'\n");
  });
});

describe('convert --out-dir: a name clash inside one folder', () => {
  function folder(names: Record<string, string | Buffer>): string {
    const dir = tempDir();
    mkdirSync(join(dir, 'pages'));
    for (const [name, from] of Object.entries(names)) {
      if (typeof from === 'string') copyFileSync(join(repoRoot, from), join(dir, 'pages', name));
      else writeFileSync(join(dir, 'pages', name), from);
    }
    return dir;
  }

  it('names the two inputs and --keep-ext, which keeps their extensions in the outputs’ names', () => {
    const dir = folder({ 'page.html': 'fixtures/html/listing.html', 'page.txt': 'fixtures/seed.txt', 'other.txt': 'fixtures/seed.txt' });
    expect(runCli(['convert', 'pages', '--out-dir', 'out'], { cwd: dir })).toMatchObject({
      status: 2,
      stderr:
        'postdump: error: pages/page.html and pages/page.txt would both be written to out/page.json; add --keep-ext to keep their extensions in the names (page.html.json, page.txt.json), or use --merge\n',
    });
    const kept = runCli(['convert', 'pages', '--out-dir', 'out', '--keep-ext', '-f', 'jsonl'], { cwd: dir });
    expect(kept.status).toBe(0);
    expect(filesBelow(join(dir, 'out'))).toEqual(['other.txt.jsonl', 'page.html.jsonl', 'page.txt.jsonl']);
    expect(readFileSync(join(dir, 'out/page.txt.jsonl'), 'utf8')).toBe(runCli(['parse', 'pages/page.txt', '-f', 'jsonl'], { cwd: dir }).stdout);
  });

  it('a compressed copy keeps the name of what it holds: --keep-ext cannot tell them apart, so the advice is to rename one', () => {
    const dir = folder({ 'a.txt': 'fixtures/seed.txt', 'a.txt.gz': gzipSync(readFileSync(seedPath)) });
    expect(runCli(['convert', 'pages', '--out-dir', 'out', '--keep-ext'], { cwd: dir }).stderr).toBe(
      'postdump: error: pages/a.txt and pages/a.txt.gz would both be written to out/a.txt.json; rename one of them, or use --merge\n',
    );
  });

  it('--keep-ext applies to --out-dir only', () => {
    expect(runCli(['convert', seedPath, '--merge', 'm.json', '--keep-ext'])).toMatchObject({
      status: 2,
      stderr: 'postdump: error: --keep-ext applies to --out-dir, one output per input\n',
    });
  });
});

describe('--color auto|always|never, beside NO_COLOR and FORCE_COLOR', () => {
  const ESC = '\u001b[';
  const plain = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, '');
  const missing = (args: string[], env: Record<string, string | undefined>): string =>
    runCli(['parse', 'missing.txt', ...args], { env: { NO_COLOR: undefined, FORCE_COLOR: undefined, ...env } }).stderr;

  it('always: colour in a pipe, even with NO_COLOR; never: none, even with FORCE_COLOR; auto: as the environment says', () => {
    expect(missing(['--color', 'always'], { NO_COLOR: '1' })).toContain(ESC);
    expect(plain(missing(['--color=always'], {}))).toBe('postdump: error: missing.txt: no such file\n');
    expect(missing(['--color', 'never'], { FORCE_COLOR: '1' })).toBe('postdump: error: missing.txt: no such file\n');
    expect(missing(['--color', 'auto'], { FORCE_COLOR: '1' })).toContain(ESC);
    expect(missing(['--color', 'auto'], {})).not.toContain(ESC);
    // Before the command too, and the last one given wins.
    expect(runCli(['--color', 'always', 'parse', 'missing.txt', '--color', 'never']).stderr).not.toContain(ESC);
  });

  it('colours what a command prints on stdout (stats), and commander’s own errors', () => {
    const chart = runCli(['stats', seedPath, '--color', 'always']);
    expect(chart.stdout).toContain(ESC);
    expect(plain(chart.stdout)).toMatch(/posts per year/);
    expect(runCli(['parse', '--bogus', '--color', 'always']).stderr).toContain(ESC);
  });

  it('a bad value is a usage error', () => {
    expect(runCli(['parse', seedPath, '--color', 'sometimes'])).toMatchObject({
      status: 2,
      stderr: "postdump: error: option '--color <when>' argument 'sometimes' is invalid. Allowed choices are auto, always, never.\n",
    });
  });
});

describe('convert --no-progress', () => {
  it('on a terminal, no bar: the summary only', (ctx) => {
    ctx.skip(!hasCommand('script'), '`script` (util-linux) is not installed: no pseudo-terminal to test with');
    const dir = tempDir();
    copyFileSync(seedPath, join(dir, 'dump.txt'));
    const command = `${shellQuote(process.execPath)} ${shellQuote(join(repoRoot, 'bin/postdump.js'))} convert dump.txt --out-dir out --no-progress`;
    const r = runShell(`script -qec ${shellQuote(command)} /dev/null`, { cwd: dir, env: { TERM: 'xterm-256color' } });
    expect(r.stdout).toMatch(/^postdump: info: 1 file, 8 posts, 0 warnings, 0 errors, \d+\.\d\d s\r?\n$/u);
  });
});

describe("each command's --help lists its own exit reasons", () => {
  const status1 = (command: string): string => {
    const help = runCli([command, '--help']).stdout;
    const reasons = /\nExit status:\n[\s\S]*?\n {2}1 {2}([\s\S]*?)\n {2}2 /.exec(help)?.[1] ?? '';
    return reasons.replace(/\s+/g, ' ');
  };

  it.each([
    ['parse', 'an -o file that could not be written'],
    ['convert', 'an output that could not be written'],
    ['split', 'a note that could not be written'],
  ])('%s names what it writes: %s', (command, reason) => {
    expect(status1(command)).toContain(reason);
  });

  it('stats and check write no file: their reasons name none; schema reads no input: no status 1', () => {
    expect(status1('stats')).toBe('a data problem: no post found, an input that could not be read, --strict warnings');
    expect(status1('check')).toBe('something was found: a warning, an error, an input that could not be read');
    expect(runCli(['schema', '--help']).stdout).not.toMatch(/\n {2}1 {2}/);
  });
});
