import { Buffer } from 'node:buffer';
import { closeSync, constants, openSync, readSync, statSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { inputError, systemReason } from '../errors.js';

// Read size: each read is a round trip to libuv's thread pool (measured: 64 KiB reads left the main
// thread idle 10% of a run). The parser still gets smaller batches (see `readRecords`).
export const CHUNK_BYTES = 1 << 20;

/** A path for `fs`: bytes (a name that is not UTF-8) as a Buffer, since a worker thread receives a Buffer as a plain Uint8Array. */
export function pathLike(path: string | Uint8Array): string | Buffer {
  return typeof path === 'string' || Buffer.isBuffer(path) ? path : Buffer.from(path.buffer, path.byteOffset, path.byteLength);
}

/**
 * The bytes of one input, chunk by chunk: a file, FIFO or device by path, or `-` for stdin; `source`
 * names it in messages. A chunk is valid only until the next one is asked for: the buffers are
 * reused (fresh memory costs page faults).
 */
export async function* readInput(
  input: string | Uint8Array,
  stdin: AsyncIterable<Buffer>,
  source = String(input),
  chunkBytes = CHUNK_BYTES,
): AsyncGenerator<Buffer> {
  if (input === '-') {
    yield* stdin;
    return;
  }
  // Only a regular file is opened here, and without blocking: a FIFO must be opened once, by the
  // reader that reads it (a writer seeing the pipe closed between two opens would get EPIPE), and
  // its open waits for a writer, which must not hang this thread.
  const path = pathLike(input);
  let info: Stats;
  try {
    info = statSync(path);
  } catch (e) {
    throw openError(source, e);
  }
  if (info.isDirectory()) throw inputError('INPUT_IS_DIRECTORY', source, {});
  if (!info.isFile()) {
    yield* readStream(path, source);
    return;
  }
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw openError(source, e);
  }
  try {
    // The size the stat above gave: a file that grew since is still read to its end (a short read ends it).
    yield* readFile(fd, info.size, source, chunkBytes);
  } finally {
    closeSync(fd);
  }
}

/**
 * A regular file, read synchronously: a read from the page cache costs less than a round trip to the
 * thread pool (convert reads thousands of pages; measured: most of its time was spent waiting for
 * them). A short read is the file's end, so a small file takes one read into a buffer its size.
 */
function* readFile(fd: number, size: number, path: string, chunkBytes: number): Generator<Buffer> {
  const length = Math.min(chunkBytes, size + 1);
  const buffer = Buffer.allocUnsafeSlow(length);
  for (;;) {
    let bytesRead: number;
    try {
      bytesRead = readSync(fd, buffer, 0, length, null);
    } catch (e) {
      throw openError(path, e);
    }
    if (bytesRead > 0) yield buffer.subarray(0, bytesRead);
    if (bytesRead < length) return;
  }
}

/** A FIFO or device: read asynchronously, since a read may wait for a writer; the next read runs while this chunk is parsed. */
async function* readStream(path: string | Buffer, source: string): AsyncGenerator<Buffer> {
  const file = await open(path, 'r').catch((e: unknown) => {
    throw openError(source, e);
  });
  try {
    const buffers = [Buffer.allocUnsafeSlow(CHUNK_BYTES), Buffer.allocUnsafeSlow(CHUNK_BYTES)];
    const readChunk = async (): Promise<Buffer | null> => {
      const chunk = buffers.reverse()[0] as Buffer;
      const { bytesRead } = await file.read(chunk, 0, CHUNK_BYTES, null).catch((e: unknown) => {
        throw openError(source, e);
      });
      return bytesRead === 0 ? null : chunk.subarray(0, bytesRead);
    };
    let next = readChunk();
    for (;;) {
      const chunk = await next;
      if (chunk === null) return;
      next = readChunk();
      next.catch(() => {});
      yield chunk;
    }
  } finally {
    await file.close();
  }
}

/** Reads `buffer.length` bytes of `fd` from `position` (fewer only at the file's end); how many were read. */
export function readAt(fd: number, buffer: Buffer, position: number): number {
  let done = 0;
  while (done < buffer.length) {
    const n = readSync(fd, buffer, done, buffer.length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

export function openError(path: string, e: unknown) {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return inputError('INPUT_NOT_FOUND', path, {});
  if (code === 'EISDIR') return inputError('INPUT_IS_DIRECTORY', path, {});
  return inputError('INPUT_UNREADABLE', path, { reason: systemReason(e) });
}
