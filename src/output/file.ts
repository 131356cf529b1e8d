import {
  closeSync,
  constants,
  copyFileSync,
  createWriteStream,
  fchmodSync,
  linkSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { once } from 'node:events';
import { dirname } from 'node:path';
import { diagnostic } from '../diagnostics.js';
import { PostdumpError, systemReason } from '../errors.js';
import type { Sink } from './sink.js';
import { StreamSink } from './stream.js';
import { closed, opened, removeStrays, temporaryPath } from './temporary.js';

export interface FileSinkOptions {
  /** Overwrite an existing file. */
  force: boolean;
  /** Device and inode of every input: the output must be none of them, whatever path reaches it. */
  inputs: readonly { dev: number; ino: number }[];
}

/**
 * Writes into a temporary file beside `path` and puts it in place on close, so an interrupted or
 * failed run leaves the old file (or none), never half of one. Without `force` it is linked to
 * `path`, which fails if `path` exists by then (another run wrote it meanwhile): an existing file is
 * never replaced. With `force` it is renamed over `path`; a link to a file at `path` is replaced,
 * as by `mv`: nothing is written through it. The strays of killed runs in the folder go first.
 *
 * The file calls are synchronous: each costs a few microseconds of system time (a write lands in the
 * page cache), less than a round trip to the thread pool would (measured: convert of many pages spent
 * a fifth of its time waiting).
 */
export async function openFileSink(path: string, options: FileSinkOptions): Promise<Sink> {
  const existing = statOrNull(path);
  if (existing !== null) {
    if (existing.isDirectory()) throw outputError(path, 'is a directory');
    if (options.inputs.some((i) => i.dev === existing.dev && i.ino === existing.ino)) {
      throw new PostdumpError(diagnostic('OUTPUT_IS_INPUT', 'error', null, { path }));
    }
    // A device or FIFO (`-o /dev/null`, a named pipe) is written into, as a shell's `>` would: it
    // holds no file to replace atomically, nor to protect from clobbering.
    if (!existing.isFile()) return deviceSink(path);
    if (!options.force) throw new PostdumpError(diagnostic('OUTPUT_EXISTS', 'error', null, { path }));
  }
  removeStrays(dirname(path));
  const temporary = temporaryPath(path);
  let fd: number;
  try {
    fd = openSync(temporary, 'wx');
  } catch (e) {
    throw outputError(path, (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such directory' : systemReason(e));
  }
  opened(temporary);
  let open = true;
  const discard = async (): Promise<void> => {
    closed(temporary);
    if (open) closeSync(fd);
    open = false;
    rmSync(temporary, { force: true });
  };
  try {
    // The file it replaces keeps its mode; one that has the mode of a new file needs no call.
    if (existing !== null && (existing.mode & 0o7777) !== newFileMode()) fchmodSync(fd, existing.mode & 0o7777);
  } catch (e) {
    await discard();
    throw outputError(path, systemReason(e));
  }
  return {
    atomic: true,
    async write(chunk) {
      try {
        for (let at = 0; at < chunk.length; ) at += writeSync(fd, chunk, at, chunk.length - at);
      } catch (e) {
        await discard();
        throw outputError(path, systemReason(e));
      }
    },
    async close() {
      try {
        closeSync(fd);
        open = false;
        if (options.force) renameSync(temporary, path);
        else publishNew(temporary, path);
        closed(temporary);
      } catch (e) {
        await discard();
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new PostdumpError(diagnostic('OUTPUT_EXISTS', 'error', null, { path }));
        throw outputError(path, systemReason(e));
      }
    },
    abort: discard,
  };
}

/**
 * Puts `temporary` in place at `path` unless `path` exists (EEXIST): a hard link, then the temporary
 * name removed. A file system without hard links (FAT, some network shares) gets an exclusive copy
 * instead, which refuses an existing `path` all the same (but is not visible all at once).
 */
function publishNew(temporary: string, path: string): void {
  try {
    linkSync(temporary, path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS' && code !== 'EMLINK') throw e;
    try {
      copyFileSync(temporary, path, constants.COPYFILE_EXCL);
    } catch (copyError) {
      // A copy cut short (a full disk) is ours to remove; an existing file is not.
      if ((copyError as NodeJS.ErrnoException).code !== 'EEXIST') rmSync(path, { force: true });
      throw copyError;
    }
  }
  unlinkSync(temporary);
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
    throw outputError(path, systemReason(e));
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

function outputError(path: string, reason: string): PostdumpError {
  return new PostdumpError(diagnostic('OUTPUT_UNWRITABLE', 'error', null, { path, reason }));
}
