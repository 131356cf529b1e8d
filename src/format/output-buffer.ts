import { Buffer } from 'node:buffer';
import { copyRun } from './byte-scan.js';
import { utf8Into } from './utf8.js';

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
    this.length = copyRun(this.bytes, this.length, src, start, end);
  }

  /**
   * A number as `String` and `JSON.stringify` write it: a non-negative safe integer (a count, a line)
   * digit by digit, without making a string (V8's number-to-string cache keeps its strings alive
   * past a scavenge, which once grew the young generation: measured).
   */
  number(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0) {
      this.text(JSON.stringify(n));
      return;
    }
    let digits = 1;
    for (let power = 10; power <= n; power *= 10) digits++;
    this.reserve(digits);
    const bytes = this.bytes;
    let at = this.length + digits;
    this.length = at;
    let rest = n;
    // Below 2^31 in integer arithmetic (a division by 10 is then a multiplication); a larger count in doubles.
    for (; rest > 0x7fffffff; rest = Math.floor(rest / 10)) bytes[--at] = 0x30 + (rest % 10);
    let small = rest | 0;
    do {
      const next = (small / 10) | 0;
      bytes[--at] = 0x30 + small - next * 10;
      small = next;
    } while (small > 0);
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

/** A plain Uint8Array of fresh memory, not zero-filled first (everything is written before it is read). */
function uninitialized(size: number): Uint8Array {
  const buffer = Buffer.allocUnsafeSlow(size);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, size);
}
