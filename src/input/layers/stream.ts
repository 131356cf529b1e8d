import { Buffer } from 'node:buffer';
import { Readable, type Duplex } from 'node:stream';
import { inputError } from '../../errors.js';

/**
 * Bytes through a decompressing stream of Node's `zlib`, as a stream: memory stays flat whatever the
 * output's size. Chunks are copied on the way in, since their producer may reuse them. A failure of
 * the data (cut short, corrupt) is a `CORRUPT_INPUT` error about `source`, after the output before it.
 */
export async function* decompress(chunks: AsyncIterable<Uint8Array>, transform: Duplex, source: string, what: string): AsyncGenerator<Buffer> {
  const copies = async function* (): AsyncGenerator<Buffer> {
    for await (const chunk of chunks) yield Buffer.from(chunk);
  };
  // One read waits at a time (Readable.from holds 16 by default: 16 MiB of 1 MiB reads).
  const input = Readable.from(copies(), { highWaterMark: 1 });
  // `pipe` forwards the data, with backpressure, but not a failure of the reading.
  input.on('error', (e) => transform.destroy(e));
  input.pipe(transform);
  try {
    for await (const chunk of transform as AsyncIterable<Buffer>) yield chunk;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    // A failure of the bytes, not of reading them: the reader's own errors pass through.
    if (code.startsWith('Z_') || code.startsWith('ERR__ERROR')) {
      const reason = code === 'Z_BUF_ERROR' ? 'ends before its end (a cut-off file?)' : `is corrupt (${(e as Error).message})`;
      throw inputError('CORRUPT_INPUT', source, `${what} data ${reason}`);
    }
    throw e;
  } finally {
    input.destroy();
    transform.destroy();
  }
}
