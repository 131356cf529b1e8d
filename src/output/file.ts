import { readdirSync, unlinkSync } from 'node:fs';
import { chmod, open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { diagnostic } from '../diagnostics.js';
import { PostdumpError, systemReason } from '../errors.js';
import type { Sink } from './sink.js';

/** Temporary files still being written, removed if a signal ends the process first. */
const temporaries = new Set<string>();

/** Deletes every temporary file in progress; safe to call from a signal handler. */
export function removeTemporaries(): void {
  for (const path of temporaries) {
    try {
      unlinkSync(path);
    } catch {
      // Already gone.
    }
  }
  temporaries.clear();
}

/**
 * Deletes the temporary files any thread of this process has open for `outputs` (convert's worker
 * threads keep their own `temporaries`, out of reach of the main thread's signal handler); safe to
 * call from a signal handler.
 */
export function removeTemporariesOf(outputs: Iterable<string>): void {
  for (const path of outputs) {
    const prefix = temporaryPrefix(path);
    let names: string[];
    try {
      names = readdirSync(dirname(path));
    } catch {
      continue;
    }
    for (const name of names) {
      if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
      try {
        unlinkSync(join(dirname(path), name));
      } catch {
        // Already gone.
      }
    }
  }
}

/** The start of the name of every temporary file this process writes for `path`. */
function temporaryPrefix(path: string): string {
  return `.${basename(path)}.${process.pid}-`;
}

export interface FileSinkOptions {
  /** Overwrite an existing file. */
  force: boolean;
  /** Device and inode of every input: the output must be none of them, whatever path reaches it. */
  inputs: readonly { dev: number; ino: number }[];
}

/**
 * Writes into a temporary file beside `path` and renames it over `path` on close, so an interrupted
 * or failed run leaves the old file (or none), never half of one.
 */
export async function openFileSink(path: string, options: FileSinkOptions): Promise<Sink> {
  const existing = await stat(path).catch(() => null);
  if (existing !== null) {
    if (existing.isDirectory()) throw outputError(`${path}: is a directory`);
    if (options.inputs.some((i) => i.dev === existing.dev && i.ino === existing.ino)) {
      throw new PostdumpError(diagnostic('OUTPUT_IS_INPUT', 'error', null, path));
    }
    if (!options.force) throw new PostdumpError(diagnostic('OUTPUT_EXISTS', 'error', null, path));
  }
  // The exclusive create below makes a clash of names an error, never a clobber: no need to load node:crypto.
  const temporary = join(dirname(path), `${temporaryPrefix(path)}${Math.random().toString(16).slice(2, 10)}.tmp`);
  let file: FileHandle;
  try {
    file = await open(temporary, 'wx');
  } catch (e) {
    throw outputError(`${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such directory' : systemReason(e)}`);
  }
  temporaries.add(temporary);
  if (existing !== null) await chmod(temporary, existing.mode & 0o7777);

  const discard = async (): Promise<void> => {
    temporaries.delete(temporary);
    await file.close().catch(() => {});
    await unlink(temporary).catch(() => {});
  };
  return {
    async write(chunk) {
      try {
        await file.writeFile(chunk);
      } catch (e) {
        await discard();
        throw outputError(`${path}: ${systemReason(e)}`);
      }
    },
    async close() {
      try {
        await file.close();
        await rename(temporary, path);
        temporaries.delete(temporary);
      } catch (e) {
        await discard();
        throw outputError(`${path}: ${systemReason(e)}`);
      }
    },
    abort: discard,
  };
}

function outputError(detail: string): PostdumpError {
  return new PostdumpError(diagnostic('OUTPUT_UNWRITABLE', 'error', null, detail));
}
