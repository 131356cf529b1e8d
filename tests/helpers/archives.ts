import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A tar archive of these files, in this order, made by the system's `tar` (GNU tar on Debian) with `options`. */
export function tarOf(files: Record<string, string | Uint8Array>, options: readonly string[] = []): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'postdump-tar-'));
  try {
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), content);
    }
    // The names go in a list file: ten thousand of them would be too many arguments.
    writeFileSync(join(dir, '.names'), `${Object.keys(files).join('\n')}\n`);
    const made = spawnSync('tar', ['--create', '--file=-', '--format=ustar', ...options, '--directory', dir, '--files-from', join(dir, '.names')], {
      maxBuffer: 1 << 30,
    });
    if (made.status !== 0) throw new Error(`tar failed: ${made.stderr.toString()}`);
    return made.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
