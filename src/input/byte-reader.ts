import { Buffer } from 'node:buffer';

/**
 * Bytes pulled from a stream of chunks as a parser of framed data wants them: a header block up to
 * its blank line, a line, a given number of bytes, the rest. Every search looks at each byte once
 * (linear, however the chunks fall), and what is held between two chunks is bounded by the caller's
 * limits. A chunk may be reused by its producer once the next is asked for: what is held across that
 * is copied, and what `take` yields is valid until the reader is asked for more.
 */
export class ByteReader {
  private readonly chunks: AsyncIterator<Buffer> | Iterator<Buffer>;
  /**
   * Bytes pulled but not yet consumed: `store[start, end)`. The producer's chunk itself while what is
   * held is all from it (`borrowed`); copied into a buffer of its own, which grows by doubling, once
   * more must be held with it.
   */
  private store: Buffer = Buffer.alloc(0);
  private borrowed = false;
  private start = 0;
  private end = 0;
  private ended = false;
  /** Whether the last byte consumed ended a line (or none was). */
  private atLineStart = true;
  /** Bytes consumed so far. */
  offset = 0;

  constructor(chunks: AsyncIterable<Buffer> | Iterable<Buffer>) {
    this.chunks = Symbol.asyncIterator in chunks ? chunks[Symbol.asyncIterator]() : chunks[Symbol.iterator]();
  }

  /** Whether no byte is left. */
  async atEnd(): Promise<boolean> {
    return this.end === this.start && !(await this.pull());
  }

  /**
   * The bytes up to and including the first empty line (a header block: lines ended by CRLF or LF),
   * consumed; `{ over: true }` when none ends within `limit` bytes, and `{ partial }` when the input
   * ends first (`partial`: whether any byte came).
   */
  async headerBlock(limit: number): Promise<Buffer | { over: true } | { partial: boolean }> {
    let from = 0;
    for (;;) {
      const held = this.held();
      const end = blankLineEnd(held, from);
      if (end !== -1 && end <= limit) return Buffer.from(this.consume(end));
      if (end !== -1 || held.length > limit) return { over: true };
      // The next search starts where a blank line could still begin: the last two bytes may be its LF and CR.
      from = Math.max(0, held.length - 2);
      if (!(await this.pull())) return { partial: held.length > 0 };
    }
  }

  /** A line without its line ending, consumed; null at the end of the input, or when no line ends within `limit` bytes. */
  async line(limit: number): Promise<Buffer | null> {
    let from = 0;
    for (;;) {
      const held = this.held();
      const lf = held.indexOf(0x0a, from);
      if (lf !== -1 && lf < limit) {
        const line = this.consume(lf + 1);
        return Buffer.from(line.subarray(0, line.length - (line.length > 1 && line[line.length - 2] === 0x0d ? 2 : 1)));
      }
      if (held.length >= limit) return null;
      from = held.length;
      if (!(await this.pull())) return null;
    }
  }

  /** Whether the next bytes are `bytes`; they are consumed when they are. */
  async skipIf(bytes: Buffer): Promise<boolean> {
    while (this.end - this.start < bytes.length && (await this.pull()));
    if (!this.held().subarray(0, bytes.length).equals(bytes)) return false;
    this.consume(bytes.length);
    return true;
  }

  /**
   * Up to `n` bytes, in pieces as they come (fewer only when the input ends first). A piece is valid
   * until the next is asked for: the producer's chunks are passed on without a copy where they can be.
   */
  async *take(n: number): AsyncGenerator<Buffer> {
    let left = n;
    while (left > 0) {
      if (this.end > this.start) {
        const piece = this.consume(Math.min(left, this.end - this.start));
        left -= piece.length;
        yield piece;
        continue;
      }
      if (this.ended) return;
      const next = await this.chunks.next();
      if (next.done === true) {
        this.ended = true;
        return;
      }
      const chunk = next.value;
      if (chunk.length === 0) continue;
      const length = Math.min(left, chunk.length);
      this.hold(chunk, length);
      this.offset += length;
      this.atLineStart = chunk[length - 1] === 0x0a;
      left -= length;
      yield chunk.subarray(0, length);
    }
  }

  /** The bytes held, at least `n` of them unless the input ends first; not consumed (see `drop`), valid until the reader is asked for more. */
  async fill(n: number): Promise<Buffer> {
    while (this.end - this.start < n && (await this.pull()));
    return this.held();
  }

  /** Consumes `n` bytes of those `fill` gave. */
  drop(n: number): void {
    this.consume(n);
  }

  /** Skips up to `n` bytes; how many were skipped. */
  async skip(n: number): Promise<number> {
    let skipped = 0;
    for await (const piece of this.take(n)) skipped += piece.length;
    return skipped;
  }

  /** Everything left, in pieces as they come (as `take`). */
  rest(): AsyncGenerator<Buffer> {
    return this.take(Number.POSITIVE_INFINITY);
  }

  /**
   * Skips to the first occurrence of `pattern` that starts a line (or the input), leaving it next;
   * how many bytes were skipped, or null when the input ends without one (all of it skipped).
   */
  async skipToLine(pattern: Buffer): Promise<number | null> {
    let skipped = 0;
    for (;;) {
      const held = this.held();
      const at = lineStartOf(held, pattern, this.atLineStart);
      if (at !== -1) {
        this.consume(at);
        return skipped + at;
      }
      // Keep what could still be the start of a match.
      skipped += this.consume(Math.max(0, held.length - pattern.length + 1)).length;
      if (!(await this.pull())) {
        skipped += this.consume(this.end - this.start).length;
        return null;
      }
    }
  }

  private held(): Buffer {
    return this.store.subarray(this.start, this.end);
  }

  private consume(n: number): Buffer {
    const piece = this.store.subarray(this.start, this.start + n);
    this.start += n;
    this.offset += n;
    if (n > 0) this.atLineStart = piece[n - 1] === 0x0a;
    return piece;
  }

  /** Appends the next chunk to what is held; false at the end of the input. */
  private async pull(): Promise<boolean> {
    if (this.ended) return false;
    const next = await this.chunks.next();
    if (next.done === true) {
      this.ended = true;
      return false;
    }
    if (this.end === this.start) this.hold(next.value, 0);
    else this.append(next.value);
    return true;
  }

  /** Holds a chunk from `from` on, without a copy: it is copied only if more must be held with it (see `append`). */
  private hold(chunk: Buffer, from: number): void {
    this.store = chunk;
    this.start = from;
    this.end = chunk.length;
    this.borrowed = true;
  }

  /** Copies bytes after what is held: into the free room, else after moving what is held to the front, else into a store twice as big. */
  private append(bytes: Buffer): void {
    const held = this.end - this.start;
    if (this.borrowed) {
      // What is held is the producer's, who may reuse it once this next chunk is asked for.
      const own = Buffer.allocUnsafe(2 * (held + bytes.length));
      this.store.copy(own, 0, this.start, this.end);
      this.store = own;
      this.start = 0;
      this.end = held;
      this.borrowed = false;
    }
    if (this.end + bytes.length > this.store.length) {
      if (held + bytes.length <= this.store.length / 2) {
        this.store.copy(this.store, 0, this.start, this.end);
      } else {
        const bigger = Buffer.allocUnsafe(Math.max(2 * this.store.length, held + bytes.length));
        this.store.copy(bigger, 0, this.start, this.end);
        this.store = bigger;
      }
      this.start = 0;
      this.end = held;
    }
    bytes.copy(this.store, this.end);
    this.end += bytes.length;
  }
}

/** The index after the first blank line's line ending at or after `from`, or -1. */
function blankLineEnd(bytes: Buffer, from: number): number {
  let lf = bytes.indexOf(0x0a, from);
  while (lf !== -1) {
    if (bytes[lf + 1] === 0x0a) return lf + 2;
    if (bytes[lf + 1] === 0x0d && bytes[lf + 2] === 0x0a) return lf + 3;
    lf = bytes.indexOf(0x0a, lf + 1);
  }
  return -1;
}

/** The index of the first `pattern` at the start of a line (or of `bytes`, when `atStart`), or -1. */
function lineStartOf(bytes: Buffer, pattern: Buffer, atStart: boolean): number {
  if (atStart && bytes.subarray(0, pattern.length).equals(pattern)) return 0;
  let at = bytes.indexOf(pattern, 1);
  while (at !== -1) {
    if (bytes[at - 1] === 0x0a) return at;
    at = bytes.indexOf(pattern, at + 1);
  }
  return -1;
}

/** A stream's first chunk (null when it has none), and the whole stream again, that chunk first. */
export async function withFirst(chunks: AsyncIterable<Buffer>): Promise<{ first: Buffer | null; rest: AsyncIterable<Buffer> }> {
  const iterator = chunks[Symbol.asyncIterator]();
  const next = await iterator.next();
  if (next.done === true) return { first: null, rest: (async function* () {})() };
  // Held while the caller decides, so copied: the producer may reuse its chunk.
  const first = Buffer.from(next.value);
  const rest = (async function* () {
    yield first;
    for (;;) {
      const more = await iterator.next();
      if (more.done === true) return;
      yield more.value;
    }
  })();
  return { first, rest };
}
