/**
 * The command line as a new user meets it (issue 15's "manners"), end to end: format names as
 * people type them, usage errors that say what was wrong and how the command is called, name
 * clashes that say how to tell the inputs apart, --color, and the progress line.
 */
import { describe, expect, it } from 'vitest';
import { runCli, seedPath } from './helpers/cli.js';

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
