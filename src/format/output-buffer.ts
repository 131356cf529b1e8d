import { Buffer } from 'node:buffer';
import { TextEncoder } from 'node:util';

const encoder = new TextEncoder();

/**
 * Where formatters write: a growing byte buffer, handed to the output stage in large pieces
 * (`take`) so that writes are few and big. Two buffers take turns, so that one can be written
 * out while the other fills, and neither is allocated again.
 */
export class OutputBuffer {
  /** The bytes, as a plain Uint8Array: its views are cheaper to make than a Buffer's. */
  bytes: Uint8Array;
  private spare: Uint8Array | null = null;
  length = 0;

  /** Starts small (a run may write a few bytes, and convert makes one buffer per file) and doubles as needed. */
  constructor(capacity = 1 << 16) {
    this.bytes = uninitialized(capacity);
  }

  /** Makes room for `n` more bytes. */
  reserve(n: number): void {
    const need = this.length + n;
    if (need > this.bytes.length) {
      const bigger = uninitialized(Math.max(need, this.bytes.length * 2));
      bigger.set(this.bytes.subarray(0, this.length));
      this.bytes = bigger;
    }
  }

  text(s: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    this.reserve(s.length * 3);
    this.length = utf8Into(s, this.bytes, this.length);
  }

  /** Appends `src[start, end)`. */
  copy(src: Uint8Array, start: number, end: number): void {
    this.reserve(end - start);
    this.bytes.set(start === 0 && end === src.length ? src : src.subarray(start, end), this.length);
    this.length += end - start;
  }

  byte(b: number): void {
    this.reserve(1);
    this.bytes[this.length++] = b;
  }

  /** Everything written so far; the buffer starts empty again. The bytes stay valid until the next `take`. */
  take(): Buffer {
    const out = Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.length);
    const next = this.spare ?? uninitialized(this.bytes.length);
    this.spare = this.bytes;
    this.bytes = next;
    this.length = 0;
    return out;
  }
}

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

/** A plain Uint8Array of fresh memory, not zero-filled first (everything is written before it is read). */
function uninitialized(size: number): Uint8Array {
  const buffer = Buffer.allocUnsafeSlow(size);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, size);
}
