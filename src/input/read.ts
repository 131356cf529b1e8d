import { Buffer } from 'node:buffer';
import { open } from 'node:fs/promises';
import { inputError, systemReason } from '../errors.js';

// Read size: each read is a round trip to libuv's thread pool (measured: 64 KiB reads left the main
// thread idle 10% of a run). The parser still gets smaller batches (see `readRecords`).
const CHUNK_BYTES = 1 << 20;

/**
 * The bytes of one input, chunk by chunk: a file, FIFO or device by path, or `-` for stdin.
 * Chunks of a file are read into two buffers that take turns (fresh memory costs page faults at
 * every read), so a chunk is valid only until the next one is asked for.
 */
export async function* readInput(path: string, stdin: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  if (path === '-') {
    yield* stdin;
    return;
  }
  const file = await open(path, 'r').catch((e: unknown) => {
    throw openError(path, e);
  });
  try {
    if ((await file.stat()).isDirectory()) throw inputError('INPUT_IS_DIRECTORY', path);
    const buffers = [Buffer.allocUnsafeSlow(CHUNK_BYTES), Buffer.allocUnsafeSlow(CHUNK_BYTES)];
    const readChunk = async (): Promise<Buffer | null> => {
      const chunk = buffers.reverse()[0] as Buffer;
      const { bytesRead } = await file.read(chunk, 0, CHUNK_BYTES, null).catch((e: unknown) => {
        throw openError(path, e);
      });
      return bytesRead === 0 ? null : chunk.subarray(0, bytesRead);
    };
    // The next read fills the other buffer while the caller works on this chunk.
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

function openError(path: string, e: unknown) {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return inputError('INPUT_NOT_FOUND', path);
  if (code === 'EISDIR') return inputError('INPUT_IS_DIRECTORY', path);
  return inputError('INPUT_UNREADABLE', path, systemReason(e));
}
