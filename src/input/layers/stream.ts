import type { Buffer } from 'node:buffer';
import type { Duplex, Writable } from 'node:stream';
import { inputError } from '../../errors.js';
import type { Compressed } from '../../types.js';

/** How much is written into the decompressor at a time: the output of one write is made whole before the next is taken, so this bounds it (a gzip bomb inflates 1,032-fold). */
const PIECE = 16 * 1024;

/**
 * Bytes through a decompressing stream of Node's `zlib`, as a stream: memory stays flat whatever the
 * output's size. A failure of the data (cut short, corrupt) is a `CORRUPT_INPUT` error about `source`,
 * after the output before it.
 */
export async function* decompress(chunks: AsyncIterable<Uint8Array>, transform: Duplex, source: string, what: Compressed): AsyncGenerator<Buffer> {
  const input = chunks[Symbol.asyncIterator]();
  const feeding = feed(input, transform);
  try {
    for await (const chunk of transform as AsyncIterable<Buffer>) yield chunk;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    // A failure of the bytes, not of reading them: the reader's own errors pass through.
    if (code.startsWith('Z_') || code.startsWith('ERR__ERROR')) {
      throw inputError(
        'CORRUPT_INPUT',
        source,
        code === 'Z_BUF_ERROR' ? { ...what, fault: 'cut' } : { ...what, fault: 'corrupt', libraryMessage: (e as Error).message },
      );
    }
    throw e;
  } finally {
    transform.destroy();
    await feeding;
    await input.return?.();
  }
}

/**
 * Writes each chunk once the decompressor has taken the one before (its write callback waits for the
 * reader too), and asks for the next chunk only then: the producer may reuse its buffer (the file
 * reader does), so no copy is made. Copies of each 1 MiB read, held across zlib's thread-pool work,
 * lived until a full collection: 60 MiB more than the plain file on a 2 GB `.gz`.
 */
async function feed(input: AsyncIterator<Uint8Array>, transform: Duplex): Promise<void> {
  try {
    for (let next = await input.next(); next.done !== true; next = await input.next()) {
      for (let at = 0; at < next.value.length && !transform.destroyed; at += PIECE) {
        const piece = next.value.subarray(at, at + PIECE);
        await written(transform, piece);
      }
      if (transform.destroyed) return;
    }
    transform.end();
  } catch (e) {
    // The reader's failure, or a write refused because the data failed (then destroy is a no-op).
    transform.destroy(e as Error);
  }
}

/**
 * Writes `piece` and waits until the stream has taken it, or has closed: a zlib stream whose data
 * fails calls no write callback (Node 20), and a wait on it alone stays unsettled, so the run would
 * end with the output before the damage and no error.
 */
export function written(stream: Writable, piece: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('close', resolve);
    stream.write(piece, (e) => {
      stream.off('close', resolve);
      if (e) reject(e);
      else resolve();
    });
  });
}
