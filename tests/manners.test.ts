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
