import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll } from 'vitest';
import { repoRoot, runShell } from './cli.js';

/** A maker of temporary folders, all removed when the test file ends. */
export function temporaryFolders(prefix: string): () => string {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), `postdump-${prefix}-`));
    made.push(dir);
    return dir;
  };
}

/** Every file below `dir`, as sorted paths relative to it (with `/`). */
export function filesBelow(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(dir, path).split('\\').join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/**
 * Runs `postdump ARGS` for each command line in one shell (a spawn per line costs more than the
 * line), in `cwd`, with no standard input; for each, `STATUS STDOUT-BYTES STDERR` on one line.
 */
export function outcomes(commandLines: readonly string[], cwd: string): string[] {
  const script = commandLines.map((args) => `postdump ${args} >out.txt 2>err.txt </dev/null; echo "$? $(wc -c <out.txt) $(cat err.txt)"`).join('\n');
  return runShell(script, { cwd }).stdout.trimEnd().split('\n');
}

/** Every input fixture (text dumps and saved pages), recursively, repository-relative. */
export function fixtureInputs(dir = 'fixtures'): string[] {
  return readdirSync(join(repoRoot, dir))
    .sort()
    .flatMap((name) => {
      const path = `${dir}/${name}`;
      if (statSync(join(repoRoot, path)).isDirectory()) return fixtureInputs(path);
      return /\.(txt|html?)$/u.test(name) ? [path] : [];
    });
}
