import { Buffer } from 'node:buffer';
import type { Post, PostField } from './types.js';

/**
 * A post as the parser hands it on: every field decoded except the excerpt, which stays UTF-8 bytes
 * so that JSON output can copy it without decoding (most of a dump's bytes are excerpt). The bytes
 * are borrowed from the parser until it reads on (see `RecordReader`).
 */
export interface RawPost extends Omit<Post, 'excerpt'> {
  excerptUtf8: Uint8Array;
}

/** The record's keys, in output order. */
export const POST_FIELDS: readonly PostField[] = ['title', 'author', 'date', 'readers', 'excerpt', 'url', 'id', 'source', 'line'];

export function toPost(raw: RawPost): Post {
  const bytes = raw.excerptUtf8;
  return {
    title: raw.title,
    author: raw.author,
    date: raw.date,
    readers: raw.readers,
    excerpt: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'),
    url: raw.url,
    id: raw.id,
    source: raw.source,
    line: raw.line,
  };
}

export function toRawPost(post: Post): RawPost {
  const { excerpt, ...fields } = post;
  return { ...fields, excerptUtf8: Buffer.from(excerpt, 'utf8') };
}
