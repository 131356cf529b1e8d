import { Buffer } from 'node:buffer';
import { TextDecoder } from 'node:util';
import { diagnostic } from '../diagnostics.js';
import { inputError, PostdumpError, usageError } from '../errors.js';
import type { RawPost } from '../record.js';
import type { Diagnostic } from '../types.js';
import { resolveEncoding, SNIFF_BYTES, type Encoding } from './decode.js';
import {
  CONTAINERS,
  INPUT_TYPES,
  KINDS,
  LAYERS,
  type Container,
  type Head,
  type InputKind,
  type InputType,
  type KindReader,
  type ReadKind,
  skipped,
  type SkipKind,
} from './kinds.js';
import { own, type BorrowedBatch } from '../borrowed.js';

/** How inputs are read, the same for every input of a run. */
export interface ReadOptions {
  /** `auto` (the default) or an encoding name. */
  encoding?: Encoding;
  /** `auto` (the default: each input's kind from its first bytes, its name a hint), or the kind to read every input as. */
  inputType?: InputType;
  /** A longer line is an error (default 64 MiB). */
  maxLineBytes?: number;
  /** Bytes per read of a regular file (default 1 MiB): for the tests that cut a dump into segments of a few bytes (see `segments.ts`). */
  chunkBytes?: number;
  /** An HTML page is read whole: a larger one is an error (default 16 MiB; a feed item's HTML too). */
  maxPageBytes?: number;
  /** An HTML page with more nodes is an error (default 1,000,000). */
  maxPageNodes?: number;
}

/** How to read one input. */
export interface RecordOptions extends ReadOptions {
  /** Input name for records and diagnostics: a path, `archive:member`, or `-` for stdin. */
  source: string;
  /**
   * Met in a folder, by a glob or in an archive rather than named: what is not a page or a dump is
   * skipped (a `NOT_A_PAGE` note), and one without a post is a note instead of an error.
   */
  found?: boolean;
  /** The document's address, when its container records it. */
  url?: string | null;
  /** The charset its container records for it (an HTTP `Content-Type`), tried before the bytes' own. */
  charset?: string | null;
  /** Called with each warning and note as it is found. */
  onDiagnostic?: (d: Diagnostic) => void;
  /** Called once for each input (a file, an archive's member) that is read as a kind that gives records. */
  onRead?: (source: string) => void;
}

/** How many layers and containers may nest (`a.tar.gz` is two): a compressed file that holds itself would never end. */
const MAX_DEPTH = 4;
/** Enough for the sniffs of layers and containers (a tar header is 512 bytes), and no more: a named encoding starts at once. */
export const OUTER_SNIFF_BYTES = 512;

/**
 * One input's bytes to records, through the first kind of the list (`kinds.ts`) that fits its first
 * bytes: they are held until the kinds can tell (at most `SNIFF_BYTES`), then the kind's reader
 * gets them and everything after. Synchronous, for the library's `parse()`: layers and containers
 * are undone by {@link readRecords}, and are refused here. A post's `excerptUtf8` is valid until the
 * next `push` or `end`, which reuse its memory: whoever keeps posts longer copies them.
 */
export class RecordReader {
  private readonly options: RecordOptions;
  private readonly report: (d: Diagnostic) => void;
  private readonly encoding: Encoding;
  private readonly name: string;
  private reader: KindReader | null = null;
  /** A kind that is not read: the rest of the input is passed over. */
  private skipping = false;
  private held: Buffer[] = [];
  private heldBytes = 0;
  /** How many bytes the kinds last looked at: they look again once there are twice as many (linear work however small the chunks). */
  private sniffed = 0;

  /** `name`: the input's name as the kinds see it, when its layers' suffixes are undone (`a.txt.br` → `a.txt`). */
  constructor(options: RecordOptions, name = nameHint(options.source)) {
    this.options = options;
    const inputType = options.inputType ?? 'auto';
    if (!INPUT_TYPES.includes(inputType)) throw usageError({ problem: 'unknown-input-type', inputType: String(inputType), inputTypes: INPUT_TYPES });
    this.encoding = resolveEncoding(options.encoding ?? 'auto');
    this.name = name;
    const report = options.onDiagnostic ?? (() => {});
    // Met in a folder or an archive, an input without a post is one of the pages a scrape has (an about page, an ad frame).
    this.report =
      options.found === true
        ? (d) => report(d.severity === 'error' && (d.code === 'NO_POSTS' || d.code === 'EMPTY_INPUT') ? { ...d, severity: 'info' } : d)
        : report;
    if (inputType !== 'auto') this.start(KINDS.find((k) => k.name === inputType) as ReadKind);
  }

  push(chunk: Uint8Array | string): BorrowedBatch {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : asBuffer(chunk);
    if (this.reader !== null) return this.reader.push(bytes);
    if (this.skipping || bytes.length === 0) return [];
    // Held across calls, so copied: the caller may reuse its chunk.
    this.held.push(Buffer.from(bytes));
    this.heldBytes += bytes.length;
    return this.heldBytes >= 2 * this.sniffed || this.heldBytes >= SNIFF_BYTES ? this.choose(false) : [];
  }

  end(): BorrowedBatch {
    // Posts of the held bytes, when only the end told the kind: kept past the reader's `end`, which reuses their memory.
    const first: RawPost[] = this.reader === null && !this.skipping ? this.choose(true).map(own) : [];
    if (this.reader === null) return first;
    const rest = this.reader.end();
    if (first.length === 0) return rest;
    for (const post of rest) first.push(post);
    return first;
  }

  /** The kind of the input, once its first bytes tell; they go to its reader. */
  private choose(atEnd: boolean): BorrowedBatch {
    const bytes = this.held.length === 1 ? (this.held[0] as Buffer) : Buffer.concat(this.held);
    this.held = [bytes];
    this.sniffed = bytes.length;
    const head = sniffHead(bytes, atEnd, this.name, this.encoding);
    const outer = [...CONTAINERS, ...LAYERS].find((l) => l.sniff(head));
    if (outer !== undefined) {
      throw usageError({ problem: 'needs-stream', input: this.options.source, what: 'what' in outer ? outer.what : `${outer.name}-compressed` });
    }
    const kind = kindOf(head);
    if (kind === null) return [];
    this.held = [];
    if ('skip' in kind) {
      const finding = skipped(kind.skip(head), this.options.found === true, this.options.source);
      if (this.options.found !== true) throw new PostdumpError(finding, 1, 'input');
      this.report(finding);
      this.skipping = true;
      return [];
    }
    this.start(kind);
    return (this.reader as KindReader | null)?.push(bytes) ?? [];
  }

  private start(kind: ReadKind): void {
    const { source, maxLineBytes, maxPageBytes, maxPageNodes } = this.options;
    this.reader = kind.read({
      source,
      encoding: this.encoding,
      charset: this.options.charset ?? null,
      url: this.options.url ?? null,
      report: this.report,
      ...(maxLineBytes === undefined ? {} : { maxLineBytes }),
      ...(maxPageBytes === undefined ? {} : { maxPageBytes }),
      ...(maxPageNodes === undefined ? {} : { maxPageNodes }),
    });
    this.options.onRead?.(source);
  }
}

/**
 * The first kind whose sniff is `sure`, else the first that is `maybe`; null while a kind before
 * the sure one waits for more bytes.
 */
export function kindOf(head: Head): InputKind | null {
  let maybe: InputKind | null = null;
  for (const kind of KINDS) {
    const verdict = kind.sniff(head);
    if (verdict === 'wait') return null;
    if (verdict === 'sure') return kind;
    if (verdict === 'maybe') maybe ??= kind;
  }
  return maybe;
}

/** What the sniffs look at, from an input's first bytes. */
export function sniffHead(bytes: Buffer, atEnd: boolean, name: string, encoding: Encoding): Head {
  const first = bytes.length > SNIFF_BYTES ? bytes.subarray(0, SNIFF_BYTES) : bytes;
  let text: string | undefined;
  return {
    bytes: first,
    final: atEnd || bytes.length >= SNIFF_BYTES,
    name,
    encoding,
    get text() {
      text ??= headText(first, encoding);
      return text;
    },
  };
}

/** The head as text for the sniffs' patterns: decoded where the encoding is known to be other than ASCII-compatible. */
function headText(bytes: Buffer, encoding: Encoding): string {
  const label =
    encoding !== 'auto' ? encoding : bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : null;
  if (label !== null && label !== 'utf-8') {
    try {
      return new TextDecoder(label).decode(bytes);
    } catch {
      // A name only iconv-lite knows: its ASCII-compatible bytes read the same as Latin-1.
    }
  }
  return bytes.toString('latin1');
}

/** The last segment of a source's name, lower-case, without a query string or a `.gz`-like suffix undone already. */
export function nameHint(source: string): string {
  const last = source.slice(Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\'), source.lastIndexOf(':')) + 1);
  const query = last.indexOf('?');
  return (query === -1 ? last : last.slice(0, query)).toLowerCase();
}

/**
 * Bytes parsed per batch. Small batches matter: the posts of a batch are alive at the next
 * scavenge, and many survivors make V8 grow its young generation (measured: 1 MiB batches, 32 MiB
 * of new space and 100 MiB RSS; 64 KiB batches, 8 MiB and 65 MiB, at the same speed).
 */
export const BATCH_BYTES = 1 << 16;

/** A chunk in pieces of about `BATCH_BYTES`, each ending after a line feed where there is one (no character or line cut). */
export function* batches(chunk: Uint8Array | string): Generator<Uint8Array | string> {
  if (typeof chunk === 'string' || chunk.length <= BATCH_BYTES) {
    yield chunk;
    return;
  }
  const bytes = asBuffer(chunk);
  let at = 0;
  while (at < bytes.length) {
    let end = at + BATCH_BYTES;
    if (end < bytes.length) {
      const lf = bytes.lastIndexOf(0x0a, end - 1);
      if (lf >= at) end = lf + 1;
    }
    yield bytes.subarray(at, end);
    at = end;
  }
}

/**
 * The records of a stream of chunks, in batches as they complete: its compression layers undone,
 * an archive's members read one by one (named `archive:path`, as if found in a folder), anything
 * else read by its kind. Chunks may be reused by their producer once the next one is asked for.
 */
export async function* readRecords(chunks: AsyncIterable<Uint8Array | string>, options: RecordOptions): AsyncGenerator<BorrowedBatch> {
  yield* readLayered(chunks, options, nameHint(options.source), 0);
}

async function* readLayered(chunks: AsyncIterable<Uint8Array | string>, options: RecordOptions, name: string, depth: number): AsyncGenerator<BorrowedBatch> {
  const iterator = bytesOf(chunks)[Symbol.asyncIterator]();
  try {
    const first = await firstBytes(iterator);
    const head = sniffHead(first.bytes, first.atEnd, name, resolveEncoding(options.encoding ?? 'auto'));
    const rest = replay(first.bytes, iterator);
    const container = CONTAINERS.find((c) => c.sniff(head));
    const layer = container === undefined ? LAYERS.find((l) => l.sniff(head)) : undefined;
    if ((layer !== undefined || container !== undefined) && depth >= MAX_DEPTH)
      throw inputError('CORRUPT_INPUT', options.source, { what: 'layers', fault: 'too-deep', depth: MAX_DEPTH });
    if (layer !== undefined) {
      yield* readLayered(layer.open(rest, options.source), options, name.replace(layer.suffix, ''), depth + 1);
    } else if (container !== undefined) {
      yield* readMembers(container, rest, options, depth + 1);
    } else {
      const reader = new RecordReader(options, name);
      for await (const chunk of rest) {
        for (const piece of batches(chunk)) {
          const posts = reader.push(piece);
          if (posts.length > 0) yield posts;
        }
      }
      const posts = reader.end();
      if (posts.length > 0) yield posts;
    }
  } finally {
    await iterator.return?.(undefined);
  }
}

/**
 * What reading an input would report about it if its kind is one that is skipped (a `NOT_A_PAGE`
 * note when found, a `NOT_A_PAGE` or `BINARY_INPUT` error when named), told from its first bytes
 * after its compression as {@link readRecords} tells it; null when it would be read.
 */
export async function skipOf(chunks: AsyncIterable<Uint8Array | string>, options: RecordOptions): Promise<Diagnostic | null> {
  if ((options.inputType ?? 'auto') !== 'auto') return null;
  const skip = await skipNamed(chunks, options, nameHint(options.source), 0);
  if (skip === null) return null;
  return skipped(skip, options.found === true, options.source);
}

async function skipNamed(
  chunks: AsyncIterable<Uint8Array | string>,
  options: RecordOptions,
  name: string,
  depth: number,
): Promise<ReturnType<SkipKind['skip']> | null> {
  const iterator = bytesOf(chunks)[Symbol.asyncIterator]();
  try {
    const encoding = resolveEncoding(options.encoding ?? 'auto');
    const first = await firstBytes(iterator);
    const head = sniffHead(first.bytes, first.atEnd, name, encoding);
    const layer = LAYERS.find((l) => l.sniff(head));
    if (layer !== undefined && depth < MAX_DEPTH)
      return skipNamed(layer.open(replay(first.bytes, iterator), options.source), options, name.replace(layer.suffix, ''), depth + 1);
    if (layer !== undefined || CONTAINERS.some((c) => c.sniff(head))) return null;
    const pieces = [Buffer.from(first.bytes)];
    let size = first.bytes.length;
    let atEnd = first.atEnd;
    while (!atEnd && size < SNIFF_BYTES) {
      const next = await iterator.next();
      if (next.done === true) atEnd = true;
      else {
        pieces.push(Buffer.from(next.value));
        size += next.value.length;
      }
    }
    const bytes = Buffer.concat(pieces);
    const kind = kindOf(sniffHead(bytes, true, name, encoding));
    return kind !== null && 'skip' in kind ? kind.skip(sniffHead(bytes, true, name, encoding)) : null;
  } catch (e) {
    // An input that cannot be read says so when it is read.
    if (e instanceof PostdumpError) return null;
    throw e;
  } finally {
    await iterator.return?.(undefined);
  }
}

/** Each member of an archive read like a file found in a folder; a member that fails is reported and the others still read. */
async function* readMembers(container: Container, chunks: AsyncIterable<Buffer>, options: RecordOptions, depth: number): AsyncGenerator<BorrowedBatch> {
  const onDiagnostic = options.onDiagnostic ?? (() => {});
  // An archive whose damage was reported already needs no second error for having no post.
  let failed = false;
  const report = (d: Diagnostic): void => {
    failed ||= d.severity === 'error';
    onDiagnostic(d);
  };
  const records = container.membersAre === 'records';
  // A capture without a post is one of the crawl's records, which the container lists (-v), not a
  // file of the run's summary: a crawl holds many pages without posts (tags, about, comments).
  const reportMember = records
    ? (d: Diagnostic): void => {
        if (!(d.severity === 'info' && (d.code === 'NO_POSTS' || d.code === 'EMPTY_INPUT'))) report(d);
      }
    : report;
  if (records) options.onRead?.(options.source);
  let posts = 0;
  for await (const member of container.members(chunks, options.source, report)) {
    const source = `${options.source}${member.name}`;
    if (member.notFile !== null) {
      report(diagnostic('NOT_A_PAGE', 'info', source, member.notFile));
      continue;
    }
    const inputType = options.inputType === undefined || options.inputType === 'auto' ? (member.inputType ?? 'auto') : options.inputType;
    const memberOptions: RecordOptions = { ...options, source, found: true, url: member.url, charset: member.charset, inputType, onDiagnostic: reportMember };
    if (records) delete memberOptions.onRead;
    try {
      for await (const batch of readLayered(member.chunks, memberOptions, nameHint(member.path), depth)) {
        posts += batch.length;
        yield batch;
      }
    } catch (e) {
      if (!(e instanceof PostdumpError) || e.scope === 'run' || e.diagnostic.source !== source) throw e;
      report(e.diagnostic);
    }
  }
  // Met in a folder or another archive, a tar archive's members have been counted one by one; a
  // crawl counts as one file, which held no post.
  if (posts === 0 && !failed && (options.found !== true || records))
    report(diagnostic('NO_POSTS', options.found === true ? 'info' : 'error', options.source, { in: 'archive' }));
}

/** Chunks as Buffers (strings as UTF-8), without copying. */
async function* bytesOf(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) yield typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : asBuffer(chunk);
}

/**
 * At least `OUTER_SNIFF_BYTES` of the input, or all of it. A first chunk that big is used as it is;
 * smaller ones are copied before the next is asked for, since the producer may reuse them.
 */
async function firstBytes(iterator: AsyncIterator<Buffer>): Promise<{ bytes: Buffer; atEnd: boolean }> {
  const pieces: Buffer[] = [];
  let size = 0;
  for (;;) {
    const next = await iterator.next();
    if (next.done === true) return { bytes: pieces.length === 1 ? (pieces[0] as Buffer) : Buffer.concat(pieces), atEnd: true };
    if (pieces.length === 0 && next.value.length >= OUTER_SNIFF_BYTES) return { bytes: next.value, atEnd: false };
    pieces.push(Buffer.from(next.value));
    size += next.value.length;
    if (size >= OUTER_SNIFF_BYTES) return { bytes: Buffer.concat(pieces), atEnd: false };
  }
}

/** The first bytes again, then the rest of the input. */
async function* replay(first: Buffer, iterator: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  if (first.length > 0) yield first;
  for (;;) {
    const next = await iterator.next();
    if (next.done === true) return;
    yield next.value;
  }
}

function asBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}
