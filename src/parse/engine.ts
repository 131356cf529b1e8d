import { Buffer } from 'node:buffer';
import { diagnostic } from '../diagnostics.js';
import type { RawPost } from '../record.js';
import type { Diagnostic } from '../types.js';
import { parseHeader } from './header.js';
import { LineSplitter } from './lines.js';
import { charBoundary, isBlank, skipSpace } from './bytes.js';
import { isNoiseLine } from './noise.js';
import { recycled } from '../borrowed.js';

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

// How much of a candidate header line is decoded: up to this many bytes after `位读者` (room for
// ` | 引用` and a few characters), or this many from the start when the line has no `位读者`.
const HEADER_TAIL_BYTES = 32;
const HEADER_PREFIX_BYTES = 256;
const READERS = Buffer.from('位读者');

interface OpenPost {
  title: string;
  author: string;
  date: string;
  readers: number;
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
  /** The line held back as a possible title: a byte range, copied before its chunk goes away. */
  private pendingBuf: Buffer | null = null;
  private pendingStart = 0;
  private pendingEnd = 0;
  private pendingLine = 0;
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

  /** Parses the next chunk. Keeps no reference to it: the caller may reuse it. */
  write(chunk: Buffer): void {
    this.readersBuf = null;
    this.splitter.push(chunk);
    // The caller may reuse the chunk: keep nothing that points into it.
    this.excerpt.detach();
    if (this.pendingBuf !== null) {
      this.pendingBuf = Buffer.from(this.pendingBuf.subarray(this.pendingStart, this.pendingEnd));
      this.pendingEnd -= this.pendingStart;
      this.pendingStart = 0;
    }
  }

  /** The posts handed out so far are done with: their excerpt memory is reused from now on. */
  recycle(): void {
    this.excerpt.reclaim();
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
      const prefixEnd = this.headerPrefixEnd(start, end);
      let text = buf.toString('utf8', start, prefixEnd);
      let result = parseHeader(text);
      // A match that reaches (nearly) to the end of a cut prefix may have been cut short, say inside `引用`.
      if (prefixEnd < end && (result === null || !('header' in result) || text.length - result.header.restStart < 4)) {
        text = buf.toString('utf8', start, end);
        result = parseHeader(text);
      }
      if (result !== null && 'header' in result) {
        if (this.pendingBuf !== null) {
          const rest = start + Buffer.byteLength(text.slice(0, result.header.restStart));
          this.startPost(result.header, line, buf, rest, end);
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
    this.pendingBuf = buf;
    this.pendingStart = start;
    this.pendingEnd = end;
    this.pendingLine = line;
  }

  /**
   * Where to cut a candidate header line before decoding it: the header is short, the first
   * paragraph glued to it is not. A cut that proves too short is redone on the whole line.
   */
  private headerPrefixEnd(start: number, end: number): number {
    const readers = this.readersAt;
    const cut = readers !== -1 && readers < end ? readers + READERS.length + HEADER_TAIL_BYTES : start + HEADER_PREFIX_BYTES;
    return Math.min(end, cut);
  }

  /** Cheap byte test: the line starts with `By` and white space, or has `位读者` in it. */
  private mayBeHeader(buf: Buffer, start: number, end: number): boolean {
    if (this.readersBuf !== buf || (this.readersAt !== -1 && this.readersAt < start)) {
      this.readersBuf = buf;
      this.readersAt = buf.indexOf(READERS, start);
    }
    if (this.readersAt !== -1 && this.readersAt < end) return true;
    const i = skipSpace(buf, start, end);
    return i + 2 < end && buf[i] === 0x42 && buf[i + 1] === 0x79 && skipSpace(buf, i + 2, end) > i + 2;
  }

  private startPost(header: { author: string; date: string; readers: number }, line: number, buf: Buffer, rest: number, end: number): void {
    const title = (this.pendingBuf as Buffer).toString('utf8', this.pendingStart, this.pendingEnd).trim();
    this.pendingBuf = null;
    this.closePost();
    this.closeSkipped();
    this.post = {
      title,
      author: header.author,
      date: header.date,
      readers: header.readers,
      line,
    };
    if (!isBlank(buf, rest, end)) this.excerpt.add(buf, rest, end);
  }

  private flushPending(): void {
    const buf = this.pendingBuf;
    if (buf === null) return;
    this.pendingBuf = null;
    if (this.post !== null && isNoiseLine(buf, this.pendingStart, this.pendingEnd)) this.closePost();
    this.addText(buf, this.pendingStart, this.pendingEnd, this.pendingLine);
  }

  /** Text goes to the open post's excerpt, or to the skipped range when no post is open. */
  private addText(buf: Buffer, start: number, end: number, line: number): void {
    if (this.post !== null) {
      this.excerpt.add(buf, start, end);
    } else if (this.skipped === null) {
      this.skipped = { first: line, last: line, text: buf.toString('utf8', start, charBoundary(buf, Math.min(end, start + 120))).trim() };
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
    this.events.diagnostic(diagnostic('SKIPPED_NOISE', 'info', this.source, `${count} line${count === 1 ? '' : 's'} starting "${s.text}"`, s.first, s.last));
  }

  private report(code: 'NO_TITLE' | 'BROKEN_HEADER', detail: string, line: number): void {
    this.events.diagnostic(diagnostic(code, 'warning', this.source, detail, line));
  }
}

/**
 * Collects one excerpt's lines, joined with `\n`, into a slab shared by consecutive posts: each post
 * gets a view of its own stretch (4-byte aligned, for the JSON escaper's word reads). Lines that
 * follow each other in the input one LF apart are joined there already, and are copied as one run.
 * Posts handed out are consumed before the next chunk arrives, so `reclaim` then reuses their
 * memory: fresh memory would cost a page fault per 4 KiB.
 */
class ExcerptBuilder {
  private slab: Uint8Array = new Uint8Array(SLAB_BYTES);
  /** Full slabs that posts of the current batch still point into, reusable after it. */
  private retired: Uint8Array[] = [];
  private spare: Uint8Array[] = [];
  /** Where the excerpt being built starts in the slab, and where it ends so far. */
  private begin = 0;
  private end = 0;
  /** Input bytes not yet copied: `runBuf[runStart, runEnd)`. */
  private runBuf: Buffer | null = null;
  private runStart = 0;
  private runEnd = 0;

  add(src: Buffer, start: number, end: number): void {
    if (src === this.runBuf && start === this.runEnd + 1 && src[this.runEnd] === 0x0a) {
      this.runEnd = end;
      return;
    }
    this.detach();
    this.runBuf = src;
    this.runStart = start;
    this.runEnd = end;
  }

  /** Copies the pending run into the slab, so nothing points into the input any more. */
  detach(): void {
    const src = this.runBuf;
    if (src === null) return;
    this.runBuf = null;
    const separator = this.end > this.begin ? 1 : 0;
    const length = this.runEnd - this.runStart;
    if (this.end + separator + length > this.slab.length) this.moveTo(this.freshSlab(separator + length));
    if (separator) this.slab[this.end++] = 0x0a;
    this.slab.set(src.subarray(this.runStart, this.runEnd), this.end);
    this.end += length;
  }

  take(): Uint8Array {
    this.detach();
    const out = this.slab.subarray(this.begin, this.end);
    this.begin = this.end = Math.min((this.end + 3) & ~3, this.slab.length);
    return out;
  }

  /** Every excerpt handed out so far is done with: their memory is free again. */
  reclaim(): void {
    for (const slab of this.retired) {
      recycled(slab);
      this.spare.push(slab);
    }
    this.retired = [];
    this.moveTo(this.slab);
    recycled(this.slab.subarray(this.end));
  }

  /** A slab with room for the excerpt being built plus `more` bytes. */
  private freshSlab(more: number): Uint8Array {
    const need = this.end - this.begin + more;
    const i = this.spare.findIndex((s) => s.length >= need);
    if (i !== -1) return this.spare.splice(i, 1)[0] as Uint8Array;
    return new Uint8Array(Math.max(SLAB_BYTES, (2 * need + 3) & ~3));
  }

  /** Moves the excerpt being built to the start of `slab` (which may be the current one). */
  private moveTo(slab: Uint8Array): void {
    const length = this.end - this.begin;
    slab.set(this.slab.subarray(this.begin, this.end));
    if (slab !== this.slab) this.retired.push(this.slab);
    this.slab = slab;
    this.begin = 0;
    this.end = length;
  }
}

// About one chunk's worth of excerpts; a slab grows when a batch needs more.
const SLAB_BYTES = 1 << 16;
