import { Buffer } from 'node:buffer';
import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';
import { inputError } from '../../errors.js';
import { type ByteReader, withFirst } from '../byte-reader.js';
import { decompress } from '../layers/stream.js';

/** Header fields (of a WARC record or an HTTP message): lower-case names, the first value of each. */
export type Fields = ReadonlyMap<string, string>;

/**
 * A header block's first line and its `Name: value` fields (RFC 9112 §5; a line that starts with
 * white space continues the one before). Bytes are read as Latin-1, so nothing is lost; a field's
 * value is trimmed.
 */
export function headerFields(block: Buffer): { first: string; fields: Fields } {
  const lines = block.toString('latin1').split(/\r?\n/);
  const fields = new Map<string, string>();
  let last: string | null = null;
  for (const line of lines.slice(1)) {
    if (line === '') continue;
    if ((line.startsWith(' ') || line.startsWith('\t')) && last !== null) {
      fields.set(last, `${fields.get(last) ?? ''} ${line.trim()}`.trim());
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    last = line.slice(0, colon).trim().toLowerCase();
    if (!fields.has(last)) fields.set(last, line.slice(colon + 1).trim());
  }
  return { first: lines[0] ?? '', fields };
}

/** A `Content-Type`'s media type (lower-case) and charset parameter. */
export function mediaType(value: string | undefined): { type: string | null; charset: string | null } {
  if (value === undefined || value.trim() === '') return { type: null, charset: null };
  const [type = '', ...parameters] = value.split(';');
  const charset = parameters.map((p) => /^\s*charset\s*=\s*"?([^";\s]+)"?\s*$/i.exec(p)?.[1]).find((c) => c !== undefined) ?? null;
  return { type: type.trim().toLowerCase(), charset };
}

const CODINGS = new Set(['gzip', 'x-gzip', 'deflate', 'br']);

/** The content codings of an HTTP message, in the order they were applied (`identity` left out). */
export function contentCodings(fields: Fields): string[] {
  return (fields.get('content-encoding') ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
}

/** The first content coding postdump cannot undo, or null. */
export function unknownCoding(codings: readonly string[]): string | null {
  return codings.find((c) => !CODINGS.has(c)) ?? null;
}

/**
 * An HTTP message's payload as the server meant it: its chunked transfer coding and its content
 * codings (gzip, deflate, br) undone, as a stream. A body stored without its chunk framing (some
 * crawlers undo it but keep the header) passes as it is, as warcio reads it.
 */
export function payload(body: ByteReader, fields: Fields, source: string): AsyncIterable<Buffer> {
  const chunked = (fields.get('transfer-encoding') ?? '').toLowerCase().includes('chunked');
  let bytes: AsyncIterable<Buffer> = chunked ? dechunk(body, source) : body.rest();
  for (const coding of contentCodings(fields).reverse()) bytes = decode(bytes, coding, source);
  return bytes;
}

const CRLF = Buffer.from('\r\n');
/** A chunk-size line's size (hexadecimal, then maybe `;` and extensions), or null when it is not one. */
function chunkSize(line: string): number | null {
  const semicolon = line.indexOf(';');
  const digits = (semicolon === -1 ? line : line.slice(0, semicolon)).trim();
  const size = /^[0-9a-f]{1,12}$/i.test(digits) ? Number.parseInt(digits, 16) : Number.NaN;
  return Number.isSafeInteger(size) ? size : null;
}

async function* dechunk(body: ByteReader, source: string): AsyncGenerator<Buffer> {
  const first = await body.fill(64);
  const lf = first.indexOf(0x0a);
  if (lf === -1 || chunkSize(first.toString('latin1', 0, lf)) === null) {
    yield* body.rest();
    return;
  }
  for (;;) {
    const line = await body.line(4096);
    const n = line === null ? null : chunkSize(line.toString('latin1'));
    if (n === null) throw damagedChunks(source);
    if (n === 0) return;
    let got = 0;
    for await (const piece of body.take(n)) {
      got += piece.length;
      yield piece;
    }
    if (got < n || !(await body.skipIf(CRLF))) throw damagedChunks(source);
  }
}

/** A chunked body whose size line or chunk end is not where chunking puts it. */
const damagedChunks = (source: string) => inputError('CORRUPT_INPUT', source, { what: 'http-chunks', fault: 'damaged' });

function decode(bytes: AsyncIterable<Buffer>, coding: string, source: string): AsyncIterable<Buffer> {
  const what = { what: 'content-encoding', coding } as const;
  if (coding === 'br') return decompress(bytes, createBrotliDecompress(), source, what);
  if (coding !== 'deflate') return decompress(bytes, createGunzip(), source, what);
  // "deflate" is zlib data by the standard, raw deflate data from some servers: its first two bytes tell.
  return (async function* () {
    const { first, rest } = await withFirst(bytes);
    if (first === null) return;
    const zlib = first.length >= 2 && ((first[0] as number) & 0x0f) === 8 && (((first[0] as number) << 8) | (first[1] as number)) % 31 === 0;
    yield* decompress(rest, zlib ? createInflate() : createInflateRaw(), source, what);
  })();
}
