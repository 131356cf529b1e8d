import { Buffer } from 'node:buffer';
import { diagnostic } from '../diagnostics.js';
import type { RawPost } from '../record.js';
import type { Diagnostic } from '../types.js';
import { parseHeader } from './header.js';
import { LineSplitter } from './lines.js';
import { isNoiseLine } from './noise.js';

export interface EngineOptions {
  /** Input name for records and diagnostics: a path, or `-` for stdin. */
  source: string;
  /** A longer line is an error (default 64 MiB). */
  maxLineBytes?: number;
}

export interface EngineEvents {
  post(post: RawPost): void;
  diagnostic(d: Diagnostic): void;
}

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

// Only this much of a candidate header line is decoded: the header itself is short, the
// first paragraph glued to it is not.
const HEADER_PREFIX_BYTES = 512;
const READERS = Buffer.from('位读者');

interface OpenPost {
  title: string;
  author: string;
  date: string;
  readers: number;
  line: number;
}

/** A line kept as a byte range; `buf` is copied before the chunk it points into goes away. */
interface HeldLine {
  buf: Buffer;
  start: number;
  end: number;
  line: number;
}

/**
 * The text-dump grammar as a streaming state machine: UTF-8 chunks in, posts out as each one
 * completes. A non-blank line is held back until the next non-blank line shows whether it was a
 * title (a header follows) or excerpt text; lines outside any post are reported as skipped ranges.
 */
export class DumpEngine {
  private readonly events: EngineEvents;
  private readonly source: string;
  private readonly splitter: LineSplitter;
  private post: OpenPost | null = null;
  private readonly excerpt = new ExcerptBuilder();
  private pending: HeldLine | null = null;
  /** The skipped range being collected while no post is open: first and last non-blank line. */
  private skipped: { first: number; last: number; text: string } | null = null;
  /** Position of the next `位读者` in the current chunk, so the search runs once per chunk, not per line. */
  private readersAt = -1;
  private readersBuf: Buffer | null = null;
  posts = 0;
  nonBlankLines = 0;

  constructor(options: EngineOptions, events: EngineEvents) {
    this.events = events;
    this.source = options.source;
    this.splitter = new LineSplitter(
      (buf, start, end, line) => this.onLine(buf, start, end, line),
      options.source,
      options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
    );
  }

  write(chunk: Buffer): void {
    this.readersBuf = null;
    this.splitter.push(chunk);
    const p = this.pending;
    if (p !== null) this.pending = { buf: Buffer.from(p.buf.subarray(p.start, p.end)), start: 0, end: p.end - p.start, line: p.line };
  }

  end(): void {
    this.splitter.end();
    this.flushPending();
    this.closePost();
    this.closeSkipped();
    if (this.posts === 0) {
      const code = this.nonBlankLines === 0 ? 'EMPTY_INPUT' : 'NO_POSTS';
      this.events.diagnostic(diagnostic(code, 'error', this.source, ''));
    }
  }

  private onLine(buf: Buffer, start: number, end: number, line: number): void {
    if (isBlank(buf, start, end)) return;
    this.nonBlankLines++;
    if (this.mayBeHeader(buf, start, end)) {
      const prefixEnd = Math.min(end, start + HEADER_PREFIX_BYTES);
      let text = buf.toString('utf8', start, prefixEnd);
      let result = parseHeader(text);
      // A match that runs to the end of a cut prefix may have been cut short (say inside `引用`).
      if (prefixEnd < end && result !== null && 'header' in result && text.length - result.header.restStart < 16) {
        text = buf.toString('utf8', start, end);
        result = parseHeader(text);
      }
      if (result !== null && 'header' in result) {
        if (this.pending !== null) {
          const rest = start + Buffer.byteLength(text.slice(0, result.header.restStart));
          this.startPost(this.pending, result.header, line, buf, rest, end);
          return;
        }
        this.report('NO_TITLE', '', line);
      } else if (result !== null) {
        this.report('BROKEN_HEADER', result.broken, line);
      }
      if (result !== null) {
        // A header-like line is never a title: it goes straight to the text it sits in.
        this.flushPending();
        this.addText(buf, start, end, line);
        return;
      }
    }
    this.flushPending();
    this.pending = { buf, start, end, line };
  }

  /** Cheap byte test: the line starts with `By` and white space, or has `位读者` in it. */
  private mayBeHeader(buf: Buffer, start: number, end: number): boolean {
    let i = skipSpace(buf, start, end);
    if (i + 2 < end && buf[i] === 0x42 && buf[i + 1] === 0x79 && skipSpace(buf, i + 2, end) > i + 2) return true;
    if (this.readersBuf !== buf || (this.readersAt !== -1 && this.readersAt < start)) {
      this.readersBuf = buf;
      this.readersAt = buf.indexOf(READERS, start);
    }
    i = this.readersAt;
    return i !== -1 && i < end;
  }

  private startPost(titleLine: HeldLine, header: { author: string; date: string; readers: number }, line: number, buf: Buffer, rest: number, end: number): void {
    this.pending = null;
    this.closePost();
    this.closeSkipped();
    this.post = {
      title: titleLine.buf.toString('utf8', titleLine.start, titleLine.end).trim(),
      author: header.author,
      date: header.date,
      readers: header.readers,
      line,
    };
    if (!isBlank(buf, rest, end)) this.excerpt.add(buf, rest, end);
  }

  private flushPending(): void {
    const p = this.pending;
    if (p === null) return;
    this.pending = null;
    if (this.post !== null && isNoiseLine(p.buf, p.start, p.end)) this.closePost();
    this.addText(p.buf, p.start, p.end, p.line);
  }

  /** Text goes to the open post's excerpt, or to the skipped range when no post is open. */
  private addText(buf: Buffer, start: number, end: number, line: number): void {
    if (this.post !== null) {
      this.excerpt.add(buf, start, end);
    } else if (this.skipped === null) {
      this.skipped = { first: line, last: line, text: buf.toString('utf8', start, Math.min(end, start + 120)).trim() };
    } else {
      this.skipped.last = line;
    }
  }

  private closePost(): void {
    const p = this.post;
    if (p === null) return;
    this.post = null;
    this.posts++;
    this.events.post({
      title: p.title,
      author: p.author,
      date: p.date,
      readers: p.readers,
      excerptUtf8: this.excerpt.take(),
      url: null,
      id: null,
      source: this.source,
      line: p.line,
    });
  }

  private closeSkipped(): void {
    const s = this.skipped;
    if (s === null) return;
    this.skipped = null;
    const count = s.last - s.first + 1;
    this.events.diagnostic(
      diagnostic('SKIPPED_NOISE', 'info', this.source, `${count} line${count === 1 ? '' : 's'} starting "${s.text}"`, s.first, s.last),
    );
  }

  private report(code: 'NO_TITLE' | 'BROKEN_HEADER', detail: string, line: number): void {
    this.events.diagnostic(diagnostic(code, 'warning', this.source, detail, line));
  }
}

/** Collects one excerpt's lines, joined with `\n`, in a buffer reused from post to post. */
class ExcerptBuilder {
  private buf = Buffer.allocUnsafe(64 * 1024);
  private length = 0;

  add(src: Buffer, start: number, end: number): void {
    const need = this.length + (this.length > 0 ? 1 : 0) + (end - start);
    if (need > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2));
      this.buf.copy(bigger, 0, 0, this.length);
      this.buf = bigger;
    }
    if (this.length > 0) this.buf[this.length++] = 0x0a;
    this.length += src.copy(this.buf, this.length, start, end);
  }

  take(): Uint8Array {
    const out = this.buf.subarray(0, this.length);
    const copy = new Uint8Array(out.length);
    copy.set(out);
    this.length = 0;
    return copy;
  }
}

/** Index of the first byte at or after `i` that is not white space (ASCII blanks, NBSP, U+3000). */
function skipSpace(buf: Buffer, i: number, end: number): number {
  while (i < end) {
    const b = buf[i];
    if (b === 0x20 || b === 0x09 || b === 0x0b || b === 0x0c) i++;
    else if (b === 0xc2 && buf[i + 1] === 0xa0) i += 2;
    else if (b === 0xe3 && buf[i + 1] === 0x80 && buf[i + 2] === 0x80) i += 3;
    else break;
  }
  return i;
}

export function isBlank(buf: Buffer, start: number, end: number): boolean {
  return skipSpace(buf, start, end) >= end;
}
