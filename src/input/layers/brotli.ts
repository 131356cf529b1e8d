import { createBrotliDecompress } from 'node:zlib';
import type { Layer } from '../kinds.js';
import { decompress } from './stream.js';

/** Brotli (`.br`): it has no magic bytes, so only its name tells. */
export const brotliLayer: Layer = {
  name: 'brotli',
  sniff: (head) => head.name.endsWith('.br'),
  suffix: /\.br$/i,
  open: (chunks, source) => decompress(chunks, createBrotliDecompress({ chunkSize: 64 * 1024 }), source, { what: 'brotli' }),
};
