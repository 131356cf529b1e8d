import { createGunzip } from 'node:zlib';
import type { Layer } from '../kinds.js';
import { decompress } from './stream.js';

/** gzip (`.gz`, `.tgz`, a `.warc.gz`'s records), by its magic bytes `1f 8b` whatever the name; members one after the other are one stream. */
export const gzipLayer: Layer = {
  name: 'gzip',
  sniff: (head) => head.bytes[0] === 0x1f && head.bytes[1] === 0x8b,
  suffix: /\.gz$/i,
  open: (chunks, source) => decompress(chunks, createGunzip({ chunkSize: 64 * 1024 }), source, { what: 'gzip' }),
};
