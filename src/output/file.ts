import { closeSync, createWriteStream, fchmodSync, openSync, readdirSync, renameSync, rmSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { once } from 'node:events';
import { basename, dirname, join } from 'node:path';
import { diagnostic } from '../diagnostics.js';
import { PostdumpError, systemReason } from '../errors.js';
import type { Sink } from './sink.js';
import { StreamSink } from './stream.js';

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
 * or failed run leaves the old file (or none), never half of one. A link to a file at `path` is
 * replaced, as by `mv`: nothing is written through it.
 *
 * The file calls are synchronous: each costs a few microseconds of system time (a write lands in the
 * page cache), less than a round trip to the thread pool would (measured: convert of many pages spent
 * a fifth of its time waiting).
 */
export async function openFileSink(path: string, options: FileSinkOptions): Promise<Sink> {
  const existing = statOrNull(path);
  if (existing !== null) {
    if (existing.isDirectory()) throw outputError(`${path}: is a directory`);
    if (options.inputs.some((i) => i.dev === existing.dev && i.ino === existing.ino)) {
      throw new PostdumpError(diagnostic('OUTPUT_IS_INPUT', 'error', null, path));
    }
    // A device or FIFO (`-o /dev/null`, a named pipe) is written into, as a shell's `>` would: it
    // holds no file to replace atomically, nor to protect from clobbering.
    if (!existing.isFile()) return deviceSink(path);
    if (!options.force) throw new PostdumpError(diagnostic('OUTPUT_EXISTS', 'error', null, path));
  }
  // The exclusive create below makes a clash of names an error, never a clobber: no need to load node:crypto.
  const temporary = join(dirname(path), `${temporaryPrefix(path)}${Math.random().toString(16).slice(2, 10)}.tmp`);
  let fd: number;
  try {
    fd = openSync(temporary, 'wx');
  } catch (e) {
    throw outputError(`${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such directory' : systemReason(e)}`);
  }
  temporaries.add(temporary);
  let open = true;
  const discard = async (): Promise<void> => {
    temporaries.delete(temporary);
    if (open) closeSync(fd);
    open = false;
    rmSync(temporary, { force: true });
  };
  try {
    // The file it replaces keeps its mode; one that has the mode of a new file needs no call.
    if (existing !== null && (existing.mode & 0o7777) !== newFileMode()) fchmodSync(fd, existing.mode & 0o7777);
  } catch (e) {
    await discard();
    throw outputError(`${path}: ${systemReason(e)}`);
  }
  return {
    atomic: true,
    async write(chunk) {
      try {
        for (let at = 0; at < chunk.length; ) at += writeSync(fd, chunk, at, chunk.length - at);
      } catch (e) {
        await discard();
        throw outputError(`${path}: ${systemReason(e)}`);
      }
    },
    async close() {
      try {
        closeSync(fd);
        open = false;
        renameSync(temporary, path);
        temporaries.delete(temporary);
      } catch (e) {
        await discard();
        throw outputError(`${path}: ${systemReason(e)}`);
      }
    },
    abort: discard,
  };
}

/**
 * Writes straight into a device or FIFO, as a stream. Opening a FIFO waits for its reader, as a
 * shell's `>` does (without blocking this thread, so a signal still ends the run); a reader that goes
 * away later ends the run quietly, as on standard output.
 */
async function deviceSink(path: string): Promise<Sink> {
  const stream = createWriteStream(path);
  try {
    await once(stream, 'open');
  } catch (e) {
    throw outputError(`${path}: ${systemReason(e)}`);
  }
  return new StreamSink(stream, path, { owned: true });
}

let createdMode: number | null = null;

/** The mode `open` gives a new file here: 0666 less the umask (read once; postdump never sets it). */
function newFileMode(): number {
  createdMode ??= 0o666 & ~process.umask();
  return createdMode;
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

function outputError(detail: string): PostdumpError {
  return new PostdumpError(diagnostic('OUTPUT_UNWRITABLE', 'error', null, detail));
}
