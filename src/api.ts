import { checkChunks, checkFormatOptions, checkInput, checkParseOptions, checkPost, checkPosts, type CheckedParseOptions } from './api-options.js';
import { createFormatter, type Format } from './format/index.js';
import { TABLE_FIELDS } from './format/markdown.js';
import { OutputBuffer } from './format/output-buffer.js';
import { POST_FIELDS, toPost, toRawPost, type RawPost } from './record.js';
import type { InputType } from './input/kinds.js';
import { RecordReader, readRecords } from './input/read-by-kind.js';
import type { Diagnostic, Post, PostField } from './types.js';

/** Options of {@link parse} and {@link parseStream}. Every field may be left out. */
export interface ParseOptions {
  /**
   * The input's name, written into each post's `source` and each diagnostic's `source`
   * (default `-`, as for standard input). With `inputType` `auto`, it is a hint where the first
   * bytes do not tell: a name ending in `.html` or `.htm` makes the input a saved page, `.br` a
   * Brotli-compressed file ({@link parseStream}).
   */
  source?: string | undefined;
  /**
   * Encoding of byte input: `auto` (default: a BOM, then an HTML page's `<meta charset>`, then
   * strict UTF-8, then GB18030), or a name such as `utf-8`, `gbk`, `gb18030`, `big5`,
   * `utf-16le`, `cp437`. Applies to bytes only: a string given to {@link parse} is text already.
   */
  encoding?: string | undefined;
  /**
   * How to read the input: `auto` (default: by its first bytes, with `source` as a hint: input that
   * starts like an HTML document, or named `.html`/`.htm`, is a saved page; a note that opens with
   * YAML front matter, or named `.md`, a Markdown clipping; other text is a dump; images, scripts,
   * styles and other files that are not pages are refused), `html`, `markdown` or `text`.
   */
  inputType?: InputType | undefined;
  /** A line longer than this many bytes throws instead of exhausting memory (default 64 MiB). */
  maxLineBytes?: number | undefined;
}

/** Options of {@link parseStream}: those of {@link parse}, and a listener for diagnostics. */
export interface ParseStreamOptions extends ParseOptions {
  /**
   * Called with each warning and note (broken header, skipped page noise, ...) as it is found.
   * Without it, diagnostics are dropped; errors that stop the input still throw.
   */
  onDiagnostic?: ((diagnostic: Diagnostic) => void) | undefined;
}

/** What {@link parse} found. */
export interface ParseResult {
  /** The posts, in input order. */
  posts: Post[];
  /**
   * Every finding about the input, in input order: warnings (a broken header, a header without a
   * title), notes (skipped page noise), and an error when the input holds no post (`NO_POSTS`,
   * `EMPTY_INPUT`).
   */
  diagnostics: Diagnostic[];
}

/**
 * Parses a whole text dump or saved HTML page into posts. Synchronous, for pages too.
 *
 * @param input The dump's bytes (decoded as `options.encoding` says) or its text.
 * @returns The posts and the diagnostics. An input without posts does not throw: it gives no
 *   posts and a `NO_POSTS` (or `EMPTY_INPUT`) error diagnostic.
 * @throws {@link PostdumpError} when the input cannot be read as text at all (`BINARY_INPUT`,
 *   `NOT_A_PAGE`, `UNDECODABLE`, `LINE_TOO_LONG`, `PAGE_TOO_LARGE`), for an encoding name it does not
 *   know (`USAGE`; then `exitCode` is 2), and for a compressed input or an archive (`exitCode` 2:
 *   {@link parseStream} reads those).
 * @throws `TypeError` for an input that is not a string or a Uint8Array (`null`, an `ArrayBuffer`),
 *   options that are not an object, or an option of the wrong type (`maxLineBytes: 'x'`).
 * @throws `RangeError` for an option the function does not have (a misspelt name), an `inputType`
 *   that is not one of the input types, or a `maxLineBytes` that is not a whole number of 1 or more
 *   (`0`, `NaN`, `1.5`).
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { parse } from 'postdump';
 *
 * const { posts, diagnostics } = parse(readFileSync('dump.txt'), { source: 'dump.txt' });
 * for (const d of diagnostics) if (d.severity !== 'info') console.error(`${d.source}:${d.line}: ${d.code} ${d.detail}`);
 * console.log(posts.map((p) => `${p.date} ${p.title}`).join('\n'));
 * ```
 */
export function parse(input: string | Uint8Array, options?: ParseOptions): ParseResult {
  const text = checkInput('parse', input);
  const checked = checkParseOptions('parse', options, false);
  const diagnostics: Diagnostic[] = [];
  const reader = new RecordReader({ ...recordOptions(checked, typeof text === 'string'), onDiagnostic: (d) => diagnostics.push(d) });
  // Each batch is decoded before the next call reuses its memory.
  const posts = reader.push(text).map(toPost);
  for (const raw of reader.end()) posts.push(toPost(raw));
  return { posts, diagnostics };
}

/**
 * Parses a stream of chunks, yielding each post as soon as it is complete (when the next post
 * starts or the input ends); memory stays flat whatever the input's size. Chunks may cut lines
 * and characters anywhere. With `encoding` `auto`, the first 64 KiB (or the whole input, if
 * smaller) are read before the first post, to tell the encoding; a named encoding starts at once.
 *
 * @param source A Node readable (`fs.createReadStream(path)`, `process.stdin`) or any async
 *   iterable of byte chunks. String chunks are taken as UTF-8 text: leave `encoding` at `auto`
 *   for them.
 * Compressed input (gzip, by its first bytes; Brotli, by a `source` ending in `.br`) is
 * decompressed as it streams, and a tar archive's members are read one after the other, each
 * named `source:path/inside` and read as if found in a folder: members that are not pages or
 * dumps are skipped with a `NOT_A_PAGE` note, and one without a post is a note, not an error. A web
 * archive (WARC, plain or gzipped) gives the posts of its HTML responses, named `source#OFFSET`
 * (each record read or skipped is an `ARCHIVE_RECORD` note); an MHTML snapshot, those of its page.
 *
 * @throws {@link PostdumpError} as {@link parse} does, from the iteration; `CORRUPT_INPUT` for
 *   compressed data or an archive that is cut short or damaged (after the posts before the damage).
 * @throws `TypeError` and `RangeError` for bad options as {@link parse} does (and `onDiagnostic`
 *   that is not a function), at the call; from the iteration, for a chunk that is not a string or
 *   a Uint8Array. A `source` that is not an async iterable (a string) is a `TypeError` at the call.
 *
 * @example
 * ```ts
 * import { createReadStream } from 'node:fs';
 * import { parseStream } from 'postdump';
 *
 * for await (const post of parseStream(createReadStream('dump.txt'), { source: 'dump.txt' })) {
 *   if ((post.readers ?? 0) > 100_000) console.log(post.title);
 * }
 * ```
 */
export function parseStream(source: AsyncIterable<Uint8Array | string>, options?: ParseStreamOptions): AsyncGenerator<Post, void, undefined> {
  // Checked at the call, not at the first `next()`, as a generator function's body would be.
  const chunks = checkChunks('parseStream', source);
  const checked = checkParseOptions('parseStream', options, true);
  return (async function* () {
    const records = readRecords(chunks, { ...recordOptions(checked, false), ...(checked.onDiagnostic ? { onDiagnostic: checked.onDiagnostic } : {}) });
    for await (const batch of records) yield* batch.map(toPost);
  })();
}

function recordOptions(options: CheckedParseOptions, text: boolean) {
  return {
    source: options.source,
    encoding: text ? 'utf-8' : options.encoding,
    inputType: options.inputType,
    ...(options.maxLineBytes === undefined ? {} : { maxLineBytes: options.maxLineBytes }),
  };
}

/**
 * Options of every formatter.
 *
 * Every formatter checks its arguments: `posts` that are not iterable (a single post, a string),
 * options that are not an object, a misspelt option, an option of the wrong type, or a post without
 * a field it writes (or with one of the wrong type) is a `TypeError` naming it (`formatJson:
 * posts[3].author is missing`); an unknown or repeated field name in `fields` is a `RangeError`.
 * A post is never written with a hole in it. From the async forms, a bad post throws from the
 * iteration.
 */
export interface FormatterOptions {
  /**
   * The fields to write, in this order (default: the nine fields of {@link Post}, `title` to
   * `line`; with `table`, `title`, `author`, `date`, `readers`). The enrichment fields `series`,
   * `part`, `categories` and `tags` are written only when named here, as null (or an empty list)
   * for a post that has none.
   */
  fields?: readonly PostField[] | undefined;
}

/** Options of {@link formatJson}. */
export interface JsonOptions extends FormatterOptions {
  /** One line instead of a 2-space indent (default false). */
  compact?: boolean | undefined;
}

/** Options of {@link formatCsv}. */
export interface CsvOptions extends FormatterOptions {
  /**
   * CSV for Excel (default false): a UTF-8 BOM, CRLF line ends, and a `'` before every cell that
   * starts with `=`, `+`, `-`, `@`, a tab, CR, LF or their full-width forms (formula injection).
   */
  excel?: boolean | undefined;
}

/** Options of {@link formatMarkdown}. */
export interface MarkdownOptions extends FormatterOptions {
  /** A GFM table, one row per post, instead of a section per post (default false). */
  table?: boolean | undefined;
}

/**
 * Writes posts as one JSON array, with a final newline: the text `JSON.stringify` gives for the
 * posts reduced to `fields`, with a 2-space indent (or on one line with `compact`).
 *
 * @example
 * ```ts
 * writeFileSync('posts.json', formatJson(parse(readFileSync('dump.txt')).posts));
 * ```
 */
export function formatJson(posts: Iterable<Post>, options?: JsonOptions): string;
/**
 * Writes posts from an async iterable (such as {@link parseStream}'s) as one JSON array, yielding
 * the text in pieces as the posts arrive; the pieces joined are what the array form gives.
 *
 * @example
 * ```ts
 * await pipeline(formatJson(parseStream(createReadStream('dump.txt'))), createWriteStream('posts.json'));
 * ```
 */
export function formatJson(posts: AsyncIterable<Post>, options?: JsonOptions): AsyncGenerator<string, void, undefined>;
export function formatJson(posts: Iterable<Post> | AsyncIterable<Post>, options?: JsonOptions) {
  return format('formatJson', 'json', posts, options);
}

/**
 * Writes posts as JSON Lines: one compact JSON record per line, reduced to `fields`.
 *
 * @example
 * ```ts
 * appendFileSync('posts.jsonl', formatJsonLines(posts, { fields: ['title', 'date', 'readers'] }));
 * ```
 */
export function formatJsonLines(posts: Iterable<Post>, options?: FormatterOptions): string;
/**
 * Writes posts from an async iterable (such as {@link parseStream}'s) as JSON Lines, yielding the
 * text in pieces as the posts arrive.
 *
 * @example
 * ```ts
 * import { pipeline } from 'node:stream/promises';
 *
 * // A dump of any size to JSON Lines, in flat memory.
 * await pipeline(formatJsonLines(parseStream(createReadStream('dump.txt'))), createWriteStream('posts.jsonl'));
 * ```
 */
export function formatJsonLines(posts: AsyncIterable<Post>, options?: FormatterOptions): AsyncGenerator<string, void, undefined>;
export function formatJsonLines(posts: Iterable<Post> | AsyncIterable<Post>, options?: FormatterOptions) {
  return format('formatJsonLines', 'jsonl', posts, options);
}

/**
 * Writes posts as CSV (RFC 4180): a header row, then one row per post; fields with commas, quotes
 * or line breaks (excerpts) are quoted. Lists (`categories`, `tags`) are joined with `; `.
 *
 * @example
 * ```ts
 * writeFileSync('posts.csv', formatCsv(posts, { excel: true, fields: ['title', 'date', 'readers'] }));
 * ```
 */
export function formatCsv(posts: Iterable<Post>, options?: CsvOptions): string;
/**
 * Writes posts from an async iterable (such as {@link parseStream}'s) as CSV, yielding the text in
 * pieces as the posts arrive.
 *
 * @example
 * ```ts
 * await pipeline(formatCsv(parseStream(createReadStream('dump.txt'))), createWriteStream('posts.csv'));
 * ```
 */
export function formatCsv(posts: AsyncIterable<Post>, options?: CsvOptions): AsyncGenerator<string, void, undefined>;
export function formatCsv(posts: Iterable<Post> | AsyncIterable<Post>, options?: CsvOptions) {
  return format('formatCsv', 'csv', posts, options);
}

/**
 * Writes posts as Markdown: per post a `## [title](url)` heading (a plain title without url), a
 * line `author · date · N readers`, then the excerpt's paragraphs. LaTeX is left as is; text that
 * Markdown would read as markup (`<eos>`, `*`) is escaped. With `table`, a GFM table instead.
 *
 * @example
 * ```ts
 * console.log(formatMarkdown(posts, { table: true }));
 * ```
 */
export function formatMarkdown(posts: Iterable<Post>, options?: MarkdownOptions): string;
/**
 * Writes posts from an async iterable (such as {@link parseStream}'s) as Markdown, yielding the
 * text in pieces as the posts arrive.
 *
 * @example
 * ```ts
 * await pipeline(formatMarkdown(parseStream(createReadStream('dump.txt'))), createWriteStream('posts.md'));
 * ```
 */
export function formatMarkdown(posts: AsyncIterable<Post>, options?: MarkdownOptions): AsyncGenerator<string, void, undefined>;
export function formatMarkdown(posts: Iterable<Post> | AsyncIterable<Post>, options?: MarkdownOptions) {
  return format('formatMarkdown', 'md', posts, options);
}

/** The boolean options each format takes. */
const FLAGS: Record<Format, readonly ('compact' | 'excel' | 'table')[]> = { json: ['compact'], jsonl: [], csv: ['excel'], md: ['table'] };

function format(fn: string, format: Format, input: unknown, options: unknown): string | AsyncGenerator<string> {
  const posts = checkPosts(fn, input);
  const checked = checkFormatOptions(fn, options, FLAGS[format]);
  const fields = checked.fields ?? (checked.table ? TABLE_FIELDS : POST_FIELDS);
  const formatter = createFormatter({ format, fields, compact: checked.compact, excel: checked.excel, table: checked.table });
  let index = 0;
  const raw = (post: unknown): RawPost => toRawPost(checkPost(fn, post, index++, fields));
  const out = new OutputBuffer(CHUNK_BYTES);
  formatter.start(out);
  if (Symbol.asyncIterator in posts) {
    return (async function* () {
      for await (const post of posts) {
        formatter.write([raw(post)], out);
        if (out.length >= CHUNK_BYTES) yield out.take().toString('utf8');
      }
      formatter.finish(out);
      yield out.take().toString('utf8');
    })();
  }
  formatter.write(Array.from(posts, raw), out);
  formatter.finish(out);
  return out.take().toString('utf8');
}

// The async formatters yield text in pieces of about this size.
const CHUNK_BYTES = 64 * 1024;
