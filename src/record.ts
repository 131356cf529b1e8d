import { Buffer } from 'node:buffer';
import { TextEncoder } from 'node:util';
import type { Post, PostField } from './types.js';

/**
 * A post as the parser hands it on: every field decoded except the excerpt, which stays UTF-8 bytes
 * so that JSON output can copy it without decoding (most of a dump's bytes are excerpt).
 */
export interface RawPost extends Omit<Post, 'excerpt'> {
  /**
   * A plain Uint8Array, never a Buffer (whose `slice` would share memory). The parser's are borrowed
   * until it reads on (see `RecordReader`): keep one longer with `excerptUtf8.slice()`.
   */
  excerptUtf8: Uint8Array;
}

/** The record's keys, in output order: what every output shows unless `--fields` says otherwise. */
export const POST_FIELDS: readonly PostField[] = ['title', 'author', 'date', 'readers', 'excerpt', 'url', 'id', 'source', 'line'];

/** Every key `--fields` may name: the record's, then the enrichment. */
export const ALL_FIELDS: readonly PostField[] = [...POST_FIELDS, 'series', 'part', 'categories', 'tags'];

/** A field's value for output; enrichment a post lacks reads as null (or an empty list). */
export function fieldValue(post: Omit<Post, 'excerpt'>, field: Exclude<PostField, 'excerpt'>): string | number | string[] | null {
  const value = post[field];
  if (value !== undefined) return value;
  return field === 'categories' || field === 'tags' ? [] : null;
}

export function toPost(raw: RawPost): Post {
  const { excerptUtf8: bytes, title, author, date, readers, url, id, source, line, ...enrichment } = raw;
  const excerpt = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  return { title, author, date, readers, excerpt, url, id, source, line, ...enrichment };
}

const encoder = new TextEncoder();

export function toRawPost(post: Post): RawPost {
  const { excerpt, ...fields } = post;
  return { ...fields, excerptUtf8: encoder.encode(excerpt) };
}
