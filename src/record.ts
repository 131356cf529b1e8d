import { Buffer } from 'node:buffer';
import type { Post, PostField } from './types.js';

/**
 * A post as the parser hands it on: every field decoded except the excerpt, which stays UTF-8 bytes
 * so that JSON output can copy it without decoding (most of a dump's bytes are excerpt).
 */
export interface RawPost extends Omit<Post, 'excerpt'> {
  excerptUtf8: Uint8Array;
}

/** The record's keys, in output order. */
export const POST_FIELDS: readonly PostField[] = ['title', 'author', 'date', 'readers', 'excerpt', 'url', 'id', 'source', 'line'];

export function toPost(raw: RawPost): Post {
  const { excerptUtf8, ...fields } = raw;
  return {
    title: fields.title,
    author: fields.author,
    date: fields.date,
    readers: fields.readers,
    excerpt: Buffer.from(excerptUtf8.buffer, excerptUtf8.byteOffset, excerptUtf8.byteLength).toString('utf8'),
    url: fields.url,
    id: fields.id,
    source: fields.source,
    line: fields.line,
  };
}

export function toRawPost(post: Post): RawPost {
  const { excerpt, ...fields } = post;
  return { ...fields, excerptUtf8: Buffer.from(excerpt, 'utf8') };
}
