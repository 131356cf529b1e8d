/**
 * Every example in every command's --help names files a user has (`dump.txt`, `pages/`), never the
 * repository's fixtures, and runs as printed in a scratch folder holding files of those names (copies
 * of fixtures): never a usage error, never a stack trace, exit 0 (check's examples that show findings
 * exit 1, as check does).
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasCommand, repoRoot, runCli, runShell } from './helpers/cli.js';
import { temporaryFolders } from './helpers/workspace.js';

const tempDir = temporaryFolders('examples');
const COMMANDS = ['parse', 'convert', 'split', 'stats', 'check', 'schema'];
/** The files the examples name, as a user's folder holds them, and the fixture each is a copy of. */
const USER_FILES: Record<string, string> = {
  'dump.txt': 'fixtures/seed.txt',
  'old-dump.txt': 'fixtures/formats/tricky.txt',
  'pages/listing.html': 'fixtures/html/listing.html',
  'pages/article.html': 'fixtures/html/article.html',
  'pages/2021/listing-gb18030.html': 'fixtures/html/listing-gb18030.html',
  'crawl.warc.gz': 'fixtures/archives/crawl.warc.gz',
  'feed.rss': 'fixtures/archives/feed.rss',
  'article.mhtml': 'fixtures/archives/article.mhtml',
};

function userFolder(): string {
  const dir = tempDir();
  for (const [name, fixture] of Object.entries(USER_FILES)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    copyFileSync(join(repoRoot, fixture), join(dir, name));
  }
  return dir;
}

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
    for (const line of lines) expect(line).not.toContain('fixtures');
    const runnable = lines.filter((line) => (command !== null || !shownByCommands.has(line)) && (hasCommand('jq') || !line.includes('| jq')));
    const dir = userFolder();
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
