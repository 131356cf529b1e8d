import { Buffer, isUtf8 } from 'node:buffer';
import { createRequire } from 'node:module';
import { TextDecoder } from 'node:util';
import type Iconv from 'iconv-lite';
import { inputError, usageError } from '../errors.js';
import { declaredCharset } from './html-charset.js';

/** How much of an input auto-detection looks at before choosing an encoding. */
export const SNIFF_BYTES = 64 * 1024;

/** `auto`, or an encoding: the built-in decoder's name (`utf-8`, `gb18030`, `utf-16le`, ...) or iconv-lite's (`cp437`, ...). */
export type Encoding = string;

// GBK, GB2312 and CP936 are subsets of GB18030; decoding them as GB18030 loses nothing.
const ALIASES: Record<string, string> = { gbk: 'gb18030', gb2312: 'gb18030', cp936: 'gb18030' };
// Names iconv-lite knows that postdump refuses, and why.
const REFUSED: Record<string, string> = {
  base64: 'not a text encoding',
  hex: 'not a text encoding',
  // Measured: "+AHw-" split before its "-" comes out as "+"; no decoder that passes the chunking test has UTF-7.
  utf7: "iconv-lite's UTF-7 decoder loses characters split between chunks",
  utf7imap: "iconv-lite's UTF-7 decoder loses characters split between chunks",
};

/**
 * Checks an encoding name up front, so a typo is a usage error before any input is read. Names the
 * built-in `TextDecoder` knows (the WHATWG labels) are decoded by it: it is strict, and it decodes a
 * character split across chunks right in every encoding. Any other name iconv-lite knows is decoded
 * by iconv-lite (loaded only then).
 */
export function resolveEncoding(name: string): Encoding {
  const lower = name.trim().toLowerCase();
  if (lower === 'auto') return 'auto';
  const builtIn = builtInEncoding(lower);
  if (builtIn !== null) return builtIn;
  if (!iconv().encodingExists(lower)) {
    throw usageError({ problem: 'unknown-encoding', encoding: name });
  }
  // Aliases share their codec object, so this finds `UTF-7` and `unicode-1-1-utf-7` too.
  const codec = iconv().getCodec(lower);
  const refused = Object.keys(REFUSED).find((refusedName) => iconv().getCodec(refusedName) === codec);
  if (refused !== undefined) throw usageError({ problem: 'refused-encoding', encoding: name, reason: REFUSED[refused] ?? '' });
  return lower;
}

/** The built-in decoder's name for a label, or null when it does not know the label. */
function builtInEncoding(label: string): string | null {
  try {
    const name = new TextDecoder(ALIASES[label] ?? label).encoding;
    return name === 'gbk' ? 'gb18030' : name;
  } catch {
    return null;
  }
}

let iconvLite: typeof Iconv | undefined;

function iconv(): typeof Iconv {
  // Synchronous, so that `parse()` stays synchronous; the cost (a few ms) is paid only by the names that need it.
  iconvLite ??= createRequire(import.meta.url)('iconv-lite') as typeof Iconv;
  return iconvLite;
}

/**
 * Turns an input's bytes, chunk by chunk, into UTF-8 without a BOM: the one form the parser reads.
 * UTF-8 input passes through after validation (no decode, no copy); other encodings are decoded by
 * a streaming decoder that handles characters split across chunks. Keeps no reference to a chunk
 * once `push` returns: what it holds on to is copied.
 */
export class InputDecoder {
  private readonly source: string;
  private readonly page: boolean;
  private readonly charset: string | null;
  private stage: Utf8Check | Transcoder | null = null;
  /** Chunks held while auto-detection waits for enough bytes. */
  private head: Buffer[] = [];
  private headBytes = 0;

  /**
   * With `auto`, `page` lets an HTML page's `<meta charset>` choose the encoding, and `charset` (what
   * the input's container records, such as an HTTP `Content-Type`) comes before it; either loses to
   * bytes that are not valid in it.
   */
  constructor(encoding: Encoding, source: string, page = false, charset: string | null = null) {
    this.source = source;
    this.page = page;
    this.charset = charset;
    const resolved = resolveEncoding(encoding);
    if (resolved !== 'auto') this.stage = makeStage(resolved, source);
  }

  /** The encoding in use, once known. */
  get encoding(): string | null {
    return this.stage?.encoding ?? null;
  }

  push(chunk: Uint8Array): Buffer[] {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.stage !== null) return this.stage.push(bytes);
    // Held across calls, so copied: the caller may reuse its chunk.
    this.head.push(Buffer.from(bytes));
    this.headBytes += bytes.length;
    return this.headBytes >= SNIFF_BYTES ? this.detect(false) : [];
  }

  end(): Buffer[] {
    const out = this.stage === null ? this.detect(true) : [];
    const stage = this.stage;
    return stage === null ? out : [...out, ...stage.end()];
  }

  private detect(atEnd: boolean): Buffer[] {
    const head = Buffer.concat(this.head);
    this.head = [];
    if (head.length === 0) return [];
    // The first SNIFF_BYTES decide, however many arrived at once: an input reads the same whatever its chunks.
    const first = head.subarray(0, SNIFF_BYTES);
    this.stage = makeStage(sniff(first, atEnd && first.length === head.length, this.source, this.page, this.charset), this.source);
    return this.stage.push(head);
  }
}

/** BOM → the container's charset → a page's `<meta charset>` → strict UTF-8 → GB18030, on the first bytes of an input. */
function sniff(head: Buffer, atEnd: boolean, source: string, page: boolean, charset: string | null): Encoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  const nul = head.indexOf(0);
  if (nul !== -1) throw inputError('BINARY_INPUT', source, { nulAt: nul });
  const declared = (charset === null ? null : knownEncoding(charset)) ?? (page ? knownEncoding(declaredCharset(head)) : null);
  // A declaration that the bytes contradict is a mistake of the page (often a copy re-saved as UTF-8): the bytes win.
  for (const candidate of new Set([declared ?? 'utf-8', 'utf-8', 'gb18030'])) {
    if (decodes(head, candidate, atEnd)) return candidate;
  }
  const other = declared !== null && declared !== 'utf-8' && declared !== 'gb18030' ? declared : null;
  throw inputError('UNDECODABLE', source, { encoding: 'auto', declared: other });
}

/** The built-in encoding a label (a page's `<meta>`, a `Content-Type`) names, as browsers read it; null when none or unknown. */
function knownEncoding(charset: string | null): Encoding | null {
  const label = charset?.trim().toLowerCase();
  if (label === undefined) return null;
  // The HTML standard: a page whose meta could be read is not UTF-16, and x-user-defined means windows-1252.
  if (label === 'x-user-defined') return 'windows-1252';
  const name = builtInEncoding(label);
  return name?.startsWith('utf-16') ? 'utf-8' : name;
}

/** Whether the first bytes of an input are valid in an encoding (a cut character at the end is fine unless `atEnd`). */
function decodes(head: Buffer, encoding: Encoding, atEnd: boolean): boolean {
  if (encoding === 'utf-8') return isUtf8(head.subarray(0, atEnd ? head.length : completeUtf8Length(head)));
  try {
    new TextDecoder(encoding, { fatal: true }).decode(head, { stream: !atEnd });
    return true;
  } catch {
    return false;
  }
}

function makeStage(encoding: Encoding, source: string): Utf8Check | Transcoder {
  return encoding === 'utf-8' ? new Utf8Check(source) : new Transcoder(encoding, source);
}

/** UTF-8 in, the same bytes out: checks validity (simdutf, GBs per second) and drops a BOM. */
class Utf8Check {
  readonly encoding = 'utf-8';
  private readonly source: string;
  /** Bytes of a character cut by the chunk boundary. */
  private tail: Buffer | null = null;
  private offset = 0;
  private started = false;

  constructor(source: string) {
    this.source = source;
  }

  push(chunk: Buffer): Buffer[] {
    const out: Buffer[] = [];
    let bytes = chunk;
    if (this.tail !== null && this.started) {
      // A character cut by the last chunk is completed from this one's first bytes: the chunk itself is not copied.
      const lead = this.tail[0] as number;
      const need = (lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2) - this.tail.length;
      const piece = Buffer.concat([this.tail, chunk.subarray(0, need)]);
      this.tail = null;
      if (chunk.length < need) {
        this.tail = piece;
        return out;
      }
      this.check(piece);
      out.push(piece);
      bytes = chunk.subarray(need);
    } else if (this.tail !== null) {
      bytes = Buffer.concat([this.tail, chunk]);
      this.tail = null;
    }
    if (!this.started && bytes.length > 0) {
      if (bytes.length < 3 && bytes.every((b, i) => b === [0xef, 0xbb, 0xbf][i])) {
        this.tail = Buffer.from(bytes);
        return [];
      }
      this.started = true;
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
        bytes = bytes.subarray(3);
        this.offset = 3;
      }
    }
    const complete = completeUtf8Length(bytes);
    if (complete < bytes.length) this.tail = Buffer.from(bytes.subarray(complete));
    const whole = bytes.subarray(0, complete);
    this.check(whole);
    if (whole.length > 0) out.push(whole);
    return out;
  }

  end(): Buffer[] {
    const tail = this.tail;
    this.tail = null;
    if (tail === null) return [];
    this.check(tail);
    return [tail];
  }

  private check(bytes: Buffer): void {
    if (!isUtf8(bytes)) {
      throw inputError('UNDECODABLE', this.source, { encoding: 'UTF-8', offset: this.offset + firstInvalidUtf8(bytes), exact: true });
    }
    this.offset += bytes.length;
  }
}

/** A streaming decoder to text: the built-in `TextDecoder` or iconv-lite's. */
interface TextStream {
  write(chunk: Buffer): string;
  end(): string;
}

/** Any other encoding: decoded chunk by chunk, re-encoded as UTF-8. */
class Transcoder {
  readonly encoding: string;
  private readonly source: string;
  private readonly stream: TextStream;
  private offset = 0;
  /** A high surrogate that ended the last piece: its pair may start the next (iconv-lite splits pairs). */
  private high = '';

  constructor(encoding: string, source: string) {
    this.encoding = encoding;
    this.source = source;
    this.stream = builtInEncoding(encoding) === null ? iconvStream(encoding) : builtInStream(encoding);
  }

  push(chunk: Buffer): Buffer[] {
    return this.decode(() => this.stream.write(chunk), chunk.length);
  }

  end(): Buffer[] {
    return this.decode(() => this.stream.end(), 0);
  }

  private decode(next: () => string, bytes: number): Buffer[] {
    let text: string;
    try {
      text = next();
    } catch {
      throw inputError('UNDECODABLE', this.source, { encoding: this.encoding, offset: this.offset, exact: false });
    }
    this.offset += bytes;
    text = this.high + text;
    const last = text.charCodeAt(text.length - 1);
    // Encoding a lone surrogate as UTF-8 would give U+FFFD: hold it until its pair arrives (or the end shows none will).
    this.high = bytes > 0 && last >= 0xd800 && last <= 0xdbff ? text.slice(-1) : '';
    if (this.high !== '') text = text.slice(0, -1);
    return text.length > 0 ? [Buffer.from(text, 'utf8')] : [];
  }
}

/** Strict: a byte sequence the encoding does not have is an error, not a U+FFFD. */
function builtInStream(encoding: string): TextStream {
  const decoder = new TextDecoder(encoding, { fatal: true });
  return { write: (chunk) => decoder.decode(chunk, { stream: true }), end: () => decoder.decode() };
}

/** Lenient (iconv-lite has no strict mode): bytes the encoding does not have become U+FFFD. */
function iconvStream(encoding: string): TextStream {
  const decoder = iconv().getDecoder(encoding);
  return {
    // A copy: its UTF-16 and UTF-32 decoders keep the first chunks themselves while they look for a BOM.
    write: (chunk) => decoder.write(Buffer.from(chunk)),
    end: () => {
      // Some of its decoders end with `undefined`, CESU-8's with the number 0.
      const rest: unknown = decoder.end();
      return typeof rest === 'string' ? rest : '';
    },
  };
}

/** Length of `bytes` without a trailing, incomplete UTF-8 sequence (at most 3 bytes). */
function completeUtf8Length(bytes: Buffer): number {
  const n = bytes.length;
  for (let i = n - 1; i >= 0 && i >= n - 3; i--) {
    const b = bytes[i] ?? 0;
    if ((b & 0xc0) === 0x80) continue;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return n - i < need ? i : n;
  }
  return n;
}

/** Offset of the first byte that a lenient decode replaces: valid UTF-8 survives the round trip. */
function firstInvalidUtf8(bytes: Buffer): number {
  const again = Buffer.from(bytes.toString('utf8'), 'utf8');
  let i = 0;
  while (i < bytes.length && bytes[i] === again[i]) i++;
  return i;
}
