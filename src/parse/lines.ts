import { Buffer } from 'node:buffer';
import { inputError } from '../errors.js';

const LF = 0x0a;
const CR = 0x0d;

/** Receives one line without its terminator: bytes `buf[start, end)`, valid only during the call. */
export type LineHandler = (buf: Buffer, start: number, end: number, line: number) => void;

/**
 * Splits UTF-8 chunks into lines ended by LF, CRLF or a lone CR, finding terminators with
 * `Buffer.indexOf` (memchr) rather than a per-byte loop. A line split between chunks is
 * reassembled once its end arrives; one longer than `maxLineBytes` is an error, not an OOM.
 */
export class LineSplitter {
  private readonly onLine: LineHandler;
  private readonly maxLineBytes: number;
  private readonly source: string;
  /** Pieces of a line that began in an earlier chunk. */
  private carry: Buffer[] = [];
  private carryBytes = 0;
  /** The last chunk ended with CR, so an LF opening the next one belongs to it. */
  private skipLF = false;
  /** Number of lines handed out so far. */
  line = 0;

  constructor(onLine: LineHandler, source: string, maxLineBytes: number) {
    this.onLine = onLine;
    this.source = source;
    this.maxLineBytes = maxLineBytes;
  }

  push(chunk: Buffer): void {
    let pos = 0;
    const len = chunk.length;
    if (len === 0) return;
    if (this.skipLF) {
      this.skipLF = false;
      if (chunk[0] === LF) pos = 1;
    }
    let nextCR = chunk.indexOf(CR, pos);
    while (pos < len) {
      let nl = chunk.indexOf(LF, pos);
      if (nl === -1) nl = len;
      if (nextCR !== -1 && nextCR < pos) nextCR = chunk.indexOf(CR, pos);
      let end: number;
      let next: number;
      if (nextCR !== -1 && nextCR < nl) {
        end = nextCR;
        if (nextCR + 1 === len) {
          next = len;
          this.skipLF = true;
        } else {
          next = chunk[nextCR + 1] === LF ? nextCR + 2 : nextCR + 1;
        }
      } else if (nl < len) {
        end = nl;
        next = nl + 1;
      } else {
        this.keep(chunk.subarray(pos));
        return;
      }
      this.emit(chunk, pos, end);
      pos = next;
    }
  }

  /** Hands out the last line when the input does not end with a terminator. */
  end(): void {
    if (this.carry.length > 0) this.emit(Buffer.alloc(0), 0, 0);
  }

  private keep(piece: Buffer): void {
    // Copied: the caller may reuse its chunk once `push` returns.
    this.carry.push(Buffer.from(piece));
    this.carryBytes += piece.length;
    this.checkLength(this.carryBytes, this.line + 1);
  }

  private emit(chunk: Buffer, start: number, end: number): void {
    this.line++;
    if (this.carry.length === 0) {
      this.checkLength(end - start, this.line);
      this.onLine(chunk, start, end, this.line);
      return;
    }
    this.carry.push(chunk.subarray(start, end));
    const whole = Buffer.concat(this.carry);
    this.carry = [];
    this.carryBytes = 0;
    this.checkLength(whole.length, this.line);
    this.onLine(whole, 0, whole.length, this.line);
  }

  private checkLength(bytes: number, line: number): void {
    if (bytes > this.maxLineBytes) throw inputError('LINE_TOO_LONG', this.source, { limit: this.maxLineBytes }, line);
  }
}
