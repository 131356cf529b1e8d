import { createFormatter, type Format } from './format/index.js';
import { TABLE_FIELDS } from './format/markdown.js';
import { OutputBuffer } from './format/output-buffer.js';
import { POST_FIELDS, toPost, toRawPost } from './record.js';
import { RecordReader, readRecords } from './records.js';
import type { Diagnostic, Post, PostField } from './types.js';

/** Options of `parse` and `parseStream`. */
export interface ParseOptions {
  /** Name recorded in each post's `source` and in diagnostics (default `-`). */
  source?: string;
  /** Encoding of byte input: `auto` (default; BOM, then an HTML page's `<meta charset>`, then UTF-8, then GB18030) or a name such as `gbk`. Strings are text already. */
  encoding?: string;
  /** `auto` (default: a `source` ending in `.html`/`.htm`, or input that starts like an HTML document, is a saved page), `text` or `html`. */
  inputType?: 'auto' | 'text' | 'html';
  /** A longer line throws instead of exhausting memory (default 64 MiB). */
  maxLineBytes?: number;
}

/** What `parse` found: the posts in input order, and every warning and note. */
export interface ParseResult {
  posts: Post[];
  diagnostics: Diagnostic[];
}

/**
 * Parses a whole text dump or saved HTML page.
 *
 * @throws PostdumpError when the input cannot be read as text at all (binary, undecodable, a line over the limit).
 * An input without posts is not thrown: it gives no posts and a `NO_POSTS` (or `EMPTY_INPUT`) error diagnostic.
 */
export function parse(input: string | Uint8Array, options: ParseOptions = {}): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const reader = new RecordReader({ ...recordOptions(options, typeof input === 'string'), onDiagnostic: (d) => diagnostics.push(d) });
  // Each batch is decoded before the next call reuses its memory.
  const posts = reader.push(input).map(toPost);
  posts.push(...reader.end().map(toPost));
  return { posts, diagnostics };
}

/**
 * Parses a stream of chunks (a Node readable or any async iterable of bytes or strings), yielding each
 * post as soon as it is complete; memory stays flat whatever the input's size.
 *
 * @param onDiagnostic receives each warning and note as it is found.
 */
export async function* parseStream(
  source: AsyncIterable<Uint8Array | string>,
  options: ParseOptions & { onDiagnostic?: (d: Diagnostic) => void } = {},
): AsyncGenerator<Post> {
  const records = readRecords(source, { ...recordOptions(options, false), ...(options.onDiagnostic ? { onDiagnostic: options.onDiagnostic } : {}) });
  for await (const batch of records) yield* batch.map(toPost);
}

function recordOptions(options: ParseOptions, text: boolean) {
  return {
    source: options.source ?? '-',
    encoding: text ? 'utf-8' : (options.encoding ?? 'auto'),
    ...(options.inputType === undefined ? {} : { inputType: options.inputType }),
    ...(options.maxLineBytes === undefined ? {} : { maxLineBytes: options.maxLineBytes }),
  };
}

/** Options shared by the formatters. */
export interface FormatterOptions {
  /** Keys to keep, in this order (default: all of them). */
  fields?: readonly PostField[];
}

/** JSON: one array, 2-space indent, or one line with `compact`. Same text as `JSON.stringify`. */
export function formatJson(posts: Iterable<Post>, options?: FormatterOptions & { compact?: boolean }): string;
export function formatJson(posts: AsyncIterable<Post>, options?: FormatterOptions & { compact?: boolean }): AsyncGenerator<string>;
export function formatJson(posts: Iterable<Post> | AsyncIterable<Post>, options: FormatterOptions & { compact?: boolean } = {}) {
  return format(posts, { ...options, format: 'json' });
}

/** JSON Lines: one compact record per line. */
export function formatJsonLines(posts: Iterable<Post>, options?: FormatterOptions): string;
export function formatJsonLines(posts: AsyncIterable<Post>, options?: FormatterOptions): AsyncGenerator<string>;
export function formatJsonLines(posts: Iterable<Post> | AsyncIterable<Post>, options: FormatterOptions = {}) {
  return format(posts, { ...options, format: 'jsonl' });
}

/** CSV (RFC 4180) with a header row; `excel` adds a BOM, CRLF and the formula-injection guard. */
export function formatCsv(posts: Iterable<Post>, options?: FormatterOptions & { excel?: boolean }): string;
export function formatCsv(posts: AsyncIterable<Post>, options?: FormatterOptions & { excel?: boolean }): AsyncGenerator<string>;
export function formatCsv(posts: Iterable<Post> | AsyncIterable<Post>, options: FormatterOptions & { excel?: boolean } = {}) {
  return format(posts, { ...options, format: 'csv' });
}

/** Markdown: a heading, a metadata line and the excerpt per post, or a GFM table with `table`. */
export function formatMarkdown(posts: Iterable<Post>, options?: FormatterOptions & { table?: boolean }): string;
export function formatMarkdown(posts: AsyncIterable<Post>, options?: FormatterOptions & { table?: boolean }): AsyncGenerator<string>;
export function formatMarkdown(posts: Iterable<Post> | AsyncIterable<Post>, options: FormatterOptions & { table?: boolean } = {}) {
  return format(posts, { ...options, format: 'md' });
}

function format(
  posts: Iterable<Post> | AsyncIterable<Post>,
  options: FormatterOptions & { format: Format; compact?: boolean; excel?: boolean; table?: boolean },
): string | AsyncGenerator<string> {
  const formatter = createFormatter({
    format: options.format,
    fields: options.fields ?? (options.table === true ? TABLE_FIELDS : POST_FIELDS),
    compact: options.compact === true,
    excel: options.excel === true,
    table: options.table === true,
  });
  const out = new OutputBuffer(CHUNK_BYTES);
  formatter.start(out);
  if (Symbol.asyncIterator in posts) {
    return (async function* () {
      for await (const post of posts) {
        formatter.write([toRawPost(post)], out);
        if (out.length >= CHUNK_BYTES) yield out.take().toString('utf8');
      }
      formatter.finish(out);
      yield out.take().toString('utf8');
    })();
  }
  formatter.write([...posts].map(toRawPost), out);
  formatter.finish(out);
  return out.take().toString('utf8');
}

// The async formatters yield text in pieces of about this size.
const CHUNK_BYTES = 64 * 1024;
