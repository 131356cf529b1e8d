/**
 * Every example in every command's --help runs as printed against fixtures/ (in a scratch folder
 * where `fixtures` links to the repository's): never a usage error, never a stack trace, exit 0
 * (check's examples that show findings exit 1, as check does).
 */
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasCommand, repoRoot, runCli, runShell } from './helpers/cli.js';
import { temporaryFolders } from './helpers/workspace.js';

const tempDir = temporaryFolders('examples');
const COMMANDS = ['parse', 'convert', 'split', 'stats', 'check', 'schema'];

const helps = new Map<string | null, string[]>();
function examples(command: string | null): string[] {
  let lines = helps.get(command);
  if (lines === undefined) {
    const help = runCli(command === null ? ['--help'] : [command, '--help']).stdout;
    lines = [...help.matchAll(/^ {2}\$ (.+)$/gmu)].map((m) => m[1] as string);
    helps.set(command, lines);
  }
  return lines;
}

describe('--help examples', () => {
  // The top-level help's examples that a command's help shows too are run there, once.
  const shownByCommands = new Set(COMMANDS.flatMap((command) => examples(command)));

  it.each([null, ...COMMANDS])('%s: every example has a real command line and runs as printed', (command) => {
    const lines = examples(command);
    expect(lines.length).toBeGreaterThanOrEqual(command === null ? 5 : 3);
    if (command !== null) expect(lines.every((line) => line.includes(`postdump ${command}`))).toBe(true);
    const runnable = lines.filter((line) => (command !== null || !shownByCommands.has(line)) && (hasCommand('jq') || !line.includes('| jq')));
    const dir = tempDir();
    symlinkSync(join(repoRoot, 'fixtures'), join(dir, 'fixtures'));
    // One shell for the lot: for each example its status, then what it printed on stderr if it went wrong.
    const script = runnable.map((line) => `( ${line} ) >/dev/null 2>err; s=$?; echo "$s"; [ "$s" -gt 1 ] && cat err; true`).join('\n');
    const r = runShell(`set -o pipefail\n${script}`, { cwd: dir });
    expect(r.stdout).not.toMatch(/internal error|^\s+at /mu);
    const statuses = r.stdout.trimEnd().split('\n');
    const allowed = command === 'check' ? ['0', '1'] : ['0'];
    runnable.forEach((line, i) => {
      expect(allowed, `${line} → ${statuses[i]}`).toContain(statuses[i]);
    });
  });
});
