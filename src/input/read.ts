import { Buffer } from 'node:buffer';
import { open } from 'node:fs/promises';
import { inputError, systemReason } from '../errors.js';

/** Read size: large enough that per-chunk work is noise, small enough to keep memory flat. */
const CHUNK_BYTES = 1 << 20;

/** The bytes of one input, chunk by chunk: a file, FIFO or device by path, or `-` for stdin. */
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
    for (;;) {
      const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
      const { bytesRead } = await file.read(chunk, 0, CHUNK_BYTES, null).catch((e: unknown) => {
        throw openError(path, e);
      });
      if (bytesRead === 0) return;
      yield chunk.subarray(0, bytesRead);
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
