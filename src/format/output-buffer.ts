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

  constructor(capacity = 1 << 20) {
    this.bytes = new Uint8Array(capacity);
  }

  /** Makes room for `n` more bytes. */
  reserve(n: number): void {
    const need = this.length + n;
    if (need > this.bytes.length) {
      const bigger = new Uint8Array(Math.max(need, this.bytes.length * 2));
      bigger.set(this.bytes.subarray(0, this.length));
      this.bytes = bigger;
    }
  }

  text(s: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    this.reserve(s.length * 3);
    this.length += encoder.encodeInto(s, this.bytes.subarray(this.length)).written;
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
    const next = this.spare ?? new Uint8Array(this.bytes.length);
    this.spare = this.bytes;
    this.bytes = next;
    this.length = 0;
    return out;
  }
}
