import { lstatSync, readlinkSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { diagnostic } from '../diagnostics.js';
import { PostdumpError, systemReason } from '../errors.js';
import { openFileSink, type FileSinkOptions } from './file.js';

/** Makes `dir` (and its parents) if need be; a path that exists and is no folder is an error. */
export async function makeFolder(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    const exists = await stat(dir).catch(() => null);
    throw new PostdumpError(
      diagnostic('OUTPUT_UNWRITABLE', 'error', null, { path: dir, reason: exists !== null && !exists.isDirectory() ? 'not a folder' : systemReason(e) }),
    );
  }
}

/**
 * Writes one file directly inside `dir`, atomically (see `openFileSink`). `name` must be a bare file
 * name: a name with a separator or `..` is refused outright, so nothing lands outside `dir`.
 */
export async function writeInFolder(dir: string, name: string, bytes: Uint8Array, options: FileSinkOptions): Promise<void> {
  if (name === '' || name === '.' || name === '..' || basename(name) !== name || name.includes('\\'))
    throw new Error(`not a bare file name: ${JSON.stringify(name)}`);
  const sink = await openFileSink(join(dir, name), options);
  await sink.write(bytes);
  await sink.close();
}

/**
 * The first symbolic link found on the way from `root` down to any of `folders` (paths below it),
 * and where it points; null when every folder on the way is a real one (or does not exist yet, and
 * will be made as one). Each step is looked at once, however many folders share it.
 */
export function linkOnTheWay(root: string, folders: Iterable<string>): { link: string; target: string } | null {
  const seen = new Set<string>();
  for (const folder of folders) {
    let path = root;
    for (const step of folder.split(/[/\\]/u).filter((s) => s !== '' && s !== '.')) {
      path = join(path, step);
      if (seen.has(path)) continue;
      seen.add(path);
      let isLink: boolean;
      try {
        isLink = lstatSync(path).isSymbolicLink();
      } catch {
        break;
      }
      if (isLink) return { link: path, target: readlinkSync(path) };
    }
  }
  return null;
}
