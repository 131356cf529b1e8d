import { Buffer } from 'node:buffer';

/**
 * Where formatters write: a growing byte buffer, handed to the output stage in large pieces
 * (`take`) so that writes are few and big. Two buffers take turns, so that one can be written
 * out while the other fills, and neither is allocated again.
 */
export class OutputBuffer {
  private buf: Buffer;
  private spare: Buffer | null = null;
  length = 0;

  constructor(capacity = 1 << 20) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  /** Room for `n` more bytes. */
  reserve(n: number): Buffer {
    const need = this.length + n;
    if (need > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2));
      this.buf.copy(bigger, 0, 0, this.length);
      this.buf = bigger;
    }
    return this.buf;
  }

  text(s: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    this.length += this.reserve(s.length * 3).write(s, this.length, 'utf8');
  }

  bytes(src: Uint8Array, start = 0, end = src.length): void {
    this.reserve(end - start).set(src.subarray(start, end), this.length);
    this.length += end - start;
  }

  byte(b: number): void {
    this.reserve(1)[this.length++] = b;
  }

  /** Everything written so far; the buffer starts empty again. The bytes stay valid until the next `take`. */
  take(): Buffer {
    const out = this.buf.subarray(0, this.length);
    const next = this.spare ?? Buffer.allocUnsafe(this.buf.length);
    this.spare = this.buf;
    this.buf = next;
    this.length = 0;
    return out;
  }
}
