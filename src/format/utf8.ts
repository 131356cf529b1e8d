import { TextEncoder } from 'node:util';

/** Text for the byte-level writers: UTF-8 as `TextEncoder` gives it, without its cost on short strings; numbers. */

const encoder = new TextEncoder();

/**
 * Writes `text` as UTF-8 into `dst` at `at` (room for 3 bytes per code unit is the caller's) and
 * returns the end: the bytes `TextEncoder` gives (a lone surrogate becomes U+FFFD). Short text, such
 * as the pieces of a record around its excerpt, is encoded here: a call of `encodeInto` costs more
 * than the loop (ten times more for a few ASCII characters, measured).
 */
export function utf8Into(text: string, dst: Uint8Array, at: number): number {
  const n = text.length;
  if (n > 256) return at + encoder.encodeInto(text, dst.subarray(at)).written;
  for (let k = 0; k < n; k++) {
    let c = text.charCodeAt(k);
    if (c < 0x80) {
      dst[at++] = c;
      continue;
    }
    if (c < 0x800) {
      dst[at++] = 0xc0 | (c >> 6);
      dst[at++] = 0x80 | (c & 0x3f);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const low = c <= 0xdbff && k + 1 < n ? text.charCodeAt(k + 1) : 0;
      if (low >= 0xdc00 && low <= 0xdfff) {
        k++;
        c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
        dst[at++] = 0xf0 | (c >> 18);
        dst[at++] = 0x80 | ((c >> 12) & 0x3f);
        dst[at++] = 0x80 | ((c >> 6) & 0x3f);
        dst[at++] = 0x80 | (c & 0x3f);
        continue;
      }
      c = 0xfffd;
    }
    dst[at++] = 0xe0 | (c >> 12);
    dst[at++] = 0x80 | ((c >> 6) & 0x3f);
    dst[at++] = 0x80 | (c & 0x3f);
  }
  return at;
}

/**
 * `utf8Into` for text that needs nothing done to it, checked as it is encoded: the end, or -1 (and
 * what was written is to be ignored) at the first ASCII character that `stops` marks or at a
 * surrogate, which the caller's general path handles. One pass over a title or a date: a check,
 * then `utf8Into`, was twice the time (measured, issue 17).
 */
export function utf8IntoPlain(text: string, dst: Uint8Array, at: number, stops: Uint8Array): number {
  const n = text.length;
  for (let k = 0; k < n; k++) {
    const c = text.charCodeAt(k);
    if (c < 0x80) {
      if (stops[c] !== 0) return -1;
      dst[at++] = c;
    } else if (c < 0x800) {
      dst[at++] = 0xc0 | (c >> 6);
      dst[at++] = 0x80 | (c & 0x3f);
    } else if (c >= 0xd800 && c <= 0xdfff) {
      return -1;
    } else {
      dst[at++] = 0xe0 | (c >> 12);
      dst[at++] = 0x80 | ((c >> 6) & 0x3f);
      dst[at++] = 0x80 | (c & 0x3f);
    }
  }
  return at;
}

/** Strings up to this long are encoded into a scratch buffer, reused. */
const SCRATCH_CHARS = 4096;
let scratch = new Uint8Array(256);

/**
 * The UTF-8 bytes of a string (a title, an author) for the byte-level writers: for a short one, in a
 * buffer reused by the next call, so valid until then. A lone surrogate becomes U+FFFD, as in any output.
 */
export function utf8Of(text: string): Uint8Array {
  if (text.length > SCRATCH_CHARS) return encoder.encode(text);
  if (scratch.length < text.length * 3) scratch = new Uint8Array(SCRATCH_CHARS * 3);
  return scratch.subarray(0, utf8Into(text, scratch, 0));
}

/** The UTF-8 bytes of `text`, to keep. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/**
 * A number as `String(n)` writes it, but not through V8's number-to-string cache, whose strings
 * outlive a scavenge: two numbers a row made the young generation grow, and `-f csv` ran in 93 MiB
 * instead of 67 (measured).
 */
export function numberText(n: number): string {
  return JSON.stringify(n);
}

/**
 * Values of one field that repeat from record to record (an author, a source), each encoded once by
 * `encode` (its JSON or CSV form) and kept as bytes: a run has few of them (bounded all the same).
 */
export class RepeatedText {
  private readonly encode: (value: string) => string;
  private readonly known = new Map<string, Uint8Array>();
  /** The last value asked for, and its bytes: one field's value is the one before, nearly always (one instance per field). */
  private last: string | null = null;
  private lastBytes: Uint8Array = new Uint8Array(0);

  constructor(encode: (value: string) => string) {
    this.encode = encode;
  }

  /** The bytes of `value`'s encoded form. */
  of(value: string): Uint8Array {
    if (value === this.last) return this.lastBytes;
    let bytes = this.known.get(value);
    if (bytes === undefined) {
      if (this.known.size > 64) this.known.clear();
      bytes = utf8(this.encode(value));
      this.known.set(value, bytes);
    }
    this.last = value;
    this.lastBytes = bytes;
    return bytes;
  }
}
