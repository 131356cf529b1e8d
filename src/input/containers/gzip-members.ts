import type { Buffer } from 'node:buffer';
import { createInflateRaw, crc32, inflateRawSync, type InflateRaw } from 'node:zlib';
import type { GzipDamage } from '../../types.js';
import { ByteReader } from '../byte-reader.js';
import { written } from '../layers/stream.js';

/** One gzip member of a file: where it starts in the file, and its bytes inflated. */
export interface GzipMember {
  offset: number;
  chunks: AsyncIterable<Buffer> | Iterable<Buffer>;
}

/** Why the members stop before the end of the file: at `offset`, bytes that are not gzip, a member cut short, or damaged data. */
export type GzipFault = { offset: number } & GzipDamage;

/**
 * A member is inflated in one call when its compressed bytes are among the next `WINDOW` and it
 * inflates to at most `MAX_AT_ONCE` (the usual record: a page, an image), else as a stream (a large
 * record, a file gzipped whole). One call per member costs a third of a stream's round trips to the
 * thread pool (measured on the bench's 40,001 members: 2.1 s against 6.1 s).
 */
const WINDOW = 1 << 20;
const MAX_AT_ONCE = 4 << 20;

/**
 * The members of a gzip file one by one, each with its offset in the file: WARC writers compress
 * each record as a member of its own, and CDX indexes name a record by its member's offset (Node's
 * gunzip runs on across members without saying where one ends). Each member's CRC and length are
 * checked. A member's chunks are to be read (or left) before the next member is asked for. Ends
 * with a `GzipFault` where the data stops being whole gzip members.
 */
export async function* gzipMembers(chunks: AsyncIterable<Buffer>): AsyncGenerator<GzipMember | GzipFault> {
  const raw = new ByteReader(chunks);
  for (;;) {
    const offset = raw.offset;
    const head = await raw.fill(WINDOW);
    if (head.length === 0) return;
    const headerLength = gzipHeaderLength(head);
    if (headerLength === null) return yield { offset, fault: 'not-gzip' };
    if (headerLength > head.length) return yield { offset, fault: head.length < WINDOW ? 'cut' : 'header-too-long' };
    const whole = inflateAtOnce(head.subarray(headerLength));
    if (whole !== null && 'fault' in whole) return yield { offset, ...whole };
    if (whole !== null) {
      const trailer = (await raw.fill(headerLength + whole.consumed + 8)).subarray(headerLength + whole.consumed, headerLength + whole.consumed + 8);
      const bad = trailerFault(trailer, crc32(whole.bytes), whole.bytes.length);
      if (bad !== null) return yield { offset, ...bad };
      raw.drop(headerLength + whole.consumed + 8);
      yield { offset, chunks: [whole.bytes] };
      continue;
    }
    if (head.length < WINDOW) return yield { offset, fault: 'cut' };
    raw.drop(headerLength);
    const member = new StreamedMember(raw);
    yield { offset, chunks: member.chunks() };
    await member.drain();
    const fault = member.fault ?? trailerFault((await raw.fill(8)).subarray(0, 8), member.crc, member.size);
    if (fault !== null) return yield { offset, ...fault };
    raw.drop(8);
  }
}

/** The length of a gzip member's header (RFC 1952 §2.3), larger than `bytes` when they end inside it; null when they do not start one. */
function gzipHeaderLength(bytes: Buffer): number | null {
  if (bytes.length >= 1 && bytes[0] !== 0x1f) return null;
  if (bytes.length >= 2 && bytes[1] !== 0x8b) return null;
  if (bytes.length >= 3 && bytes[2] !== 8) return null;
  if (bytes.length < 10) return 10;
  const flags = bytes[3] as number;
  let at = 10;
  if (flags & 4) at = bytes.length < at + 2 ? Number.POSITIVE_INFINITY : at + 2 + bytes.readUInt16LE(at);
  // A file name, then a comment, each ended by a NUL.
  for (const flag of [8, 16]) {
    if (!(flags & flag) || at > bytes.length) continue;
    const nul = bytes.indexOf(0, at);
    at = nul === -1 ? Number.POSITIVE_INFINITY : nul + 1;
  }
  return flags & 2 ? at + 2 : at;
}

/** The member inflated in one call, and how many compressed bytes it took; null when it is not all there or too large; its damage when its data is damaged. */
function inflateAtOnce(deflated: Buffer): { bytes: Buffer; consumed: number } | null | GzipDamage {
  try {
    const { buffer, engine } = inflateRawSync(deflated, { info: true, maxOutputLength: MAX_AT_ONCE }) as unknown as {
      buffer: Buffer;
      engine: { bytesWritten: number };
    };
    // The trailer's 8 bytes must be there too: when they are not, the member is read as a stream, which waits for them.
    return engine.bytesWritten + 8 <= deflated.length ? { bytes: buffer, consumed: engine.bytesWritten } : null;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'Z_BUF_ERROR' || code === 'ERR_BUFFER_TOO_LARGE') return null;
    return damaged(e);
  }
}

function trailerFault(trailer: Buffer, crc: number, size: number): GzipDamage | null {
  if (trailer.length < 8) return { fault: 'cut' };
  if (trailer.readUInt32LE(0) !== crc) return { fault: 'crc' };
  if (trailer.readUInt32LE(4) !== size % 2 ** 32) return { fault: 'length' };
  return null;
}

function damaged(e: unknown): GzipDamage {
  return { fault: 'corrupt', libraryMessage: e instanceof Error ? e.message : String(e) };
}

/** How much of the file is written into the inflater at a time: its output for one write is held whole, so this bounds it (a gzip bomb inflates 1,032-fold). */
const PIECE = 16 * 1024;

/**
 * A member too large to inflate at once, through a raw inflate stream fed from the file's bytes one
 * piece at a time: once the deflate data ends, the stream takes no more, and how much it took of its
 * last piece says where the member's trailer starts.
 */
class StreamedMember {
  private readonly raw: ByteReader;
  private readonly inflater: InflateRaw = createInflateRaw({ chunkSize: 64 * 1024 });
  private readonly output: AsyncGenerator<Buffer>;
  crc = 0;
  size = 0;
  /** Set when the data ends before the member does, or is damaged. */
  fault: GzipDamage | null = null;

  constructor(raw: ByteReader) {
    this.raw = raw;
    this.output = this.inflate();
  }

  /** The member's bytes; a reader that stops early leaves the rest to `drain`. */
  chunks(): AsyncIterable<Buffer> {
    return { [Symbol.asyncIterator]: () => ({ next: () => this.output.next() }) };
  }

  /** Inflates what the member's reader left, so that the file's bytes stand at its trailer. */
  async drain(): Promise<void> {
    while ((await this.output.next()).done !== true);
  }

  private async *inflate(): AsyncGenerator<Buffer> {
    const feeding = this.feed();
    try {
      for await (const chunk of this.inflater as AsyncIterable<Buffer>) {
        this.crc = crc32(chunk, this.crc);
        this.size += chunk.length;
        yield chunk;
      }
    } catch (e) {
      this.fault ??= (e as NodeJS.ErrnoException).code === 'Z_BUF_ERROR' ? { fault: 'cut' } : damaged(e);
    } finally {
      this.inflater.destroy();
      await feeding;
    }
  }

  /** Writes the file's bytes into the inflater until it has taken the whole member, each piece once it has taken the one before. */
  private async feed(): Promise<void> {
    try {
      for (;;) {
        const piece = (await this.raw.fill(1)).subarray(0, PIECE);
        if (piece.length === 0) {
          this.inflater.end();
          return;
        }
        const before = this.inflater.bytesWritten;
        await written(this.inflater, piece);
        const taken = this.inflater.bytesWritten - before;
        this.raw.drop(taken);
        if (taken < piece.length) return;
      }
    } catch (e) {
      this.fault ??= damaged(e);
      this.inflater.destroy();
    }
  }
}
