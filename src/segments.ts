/**
 * A big text dump parsed in segments, on several threads (issue 17): each thread runs
 * {@link SegmentThread.run} on the segments it is handed, and the pool (`cli/segment-pool.ts`)
 * writes their outputs in input order. Everything here is made so that the bytes, findings and
 * counts of a segmented run are those of one thread reading the whole input:
 *
 * - A segment is a whole number of the reads the one-thread run makes (`chunkBytes`), and it is fed
 *   to its engine in the pieces that run feeds (`batches` of each read): an error (a line too long,
 *   bytes that are not UTF-8) loses the posts of its piece there, so it must here too.
 * - A segment starts at a cut (`parse/cuts.ts`) in its first read: before a title whose header
 *   follows. The thread of the segment before reads on past the cut, through that header, and
 *   tells whether its engine is then as a fresh one would be (`DumpEngine.opensPostAt`) and the
 *   rest of that piece would raise no error: a handoff. Else its engine goes on into the next
 *   segment ('continues'), and the fresh run of that segment is not used.
 * - Line numbers go on from the lines before the segment, which the first thread to read a
 *   segment counts and shares with the others (`SegmentJob.lines`).
 */
import { Buffer } from 'node:buffer';
import { closeSync, constants, openSync } from 'node:fs';
import { diagnostic } from './diagnostics.js';
import { inputError, PostdumpError } from './errors.js';
import { createFormatter, type FormatOptions } from './format/index.js';
import type { Formatter } from './format/formatter.js';
import { OutputBuffer } from './format/output-buffer.js';
import { InputDecoder } from './input/decode.js';
import { BATCH_BYTES, batches } from './input/read-by-kind.js';
import { openError, pathLike, readAt } from './input/read.js';
import { countLineEnds, findCut, type Cut } from './parse/cuts.js';
import { DumpEngine } from './parse/engine.js';
import { PLAIN } from './parse/layout.js';
import { LineSplitter } from './parse/lines.js';
import type { RawPost } from './record.js';
import { Selection, type SelectOptions } from './select.js';
import type { Diagnostic } from './types.js';

/** What every thread of a segmented run knows of it (sent to a worker once). */
export interface SegmentJob {
  path: string | Uint8Array;
  source: string;
  size: number;
  /** Bytes per read, as the one-thread run reads: its pieces decide which posts an error loses. */
  chunkBytes: number;
  /** Bytes per segment: a whole number of reads. */
  segmentBytes: number;
  maxLineBytes: number;
  select: SelectOptions;
  format: FormatOptions;
  /** Each segment's line ends, as the first thread to read it counts them: Float64 counts, then Int32 flags (1: counted). */
  lines: SharedArrayBuffer;
}

export function segmentCount(size: number, segmentBytes: number): number {
  return Math.max(1, Math.ceil(size / segmentBytes));
}

/** Shared memory for {@link SegmentJob.lines}. */
export function lineCounts(segments: number): SharedArrayBuffer {
  return new SharedArrayBuffer(segments * 12);
}

/**
 * Records formatted apart, to be written into one output in order: as records after a first one
 * (a JSON array's `,` before each), and the first of them also as the output's first record, for
 * when none was written before it.
 */
export interface FormattedRecords {
  bytes: Uint8Array;
  /** The first record as an output's first, or null when `bytes` has none or a record of its run came before. */
  first: Uint8Array | null;
  /** Where the first record ends in `bytes`. */
  firstEnd: number;
}

/**
 * How a segment's run ended. `handoff`: the next segment's fresh run is its rest; `continues`: this
 * thread's engine goes on into the next segment (its next run); `failed`: an error ended the input
 * (the last diagnostic); `end`: the input's end; `no-start`: no cut in its first read, so it has no
 * fresh run (the segment before continues into it).
 */
export type SegmentEnd = 'handoff' | 'continues' | 'failed' | 'end' | 'no-start';

export interface SegmentResult {
  index: number;
  end: SegmentEnd;
  records: FormattedRecords;
  diagnostics: Diagnostic[];
  /** Posts read and selected. */
  posts: number;
  selected: number;
  /** The input's layout is not the plain one: no segment can start fresh (the rest is read on this thread). */
  oneThread: boolean;
}

/** A formatter that has written a record already: what it writes next is a record after a first. */
export function pastFirstRecord(formatter: Formatter): Formatter {
  formatter.write([PLACEHOLDER], new OutputBuffer(1024));
  return formatter;
}

const PLACEHOLDER: RawPost = { title: '', author: '', date: '', readers: 0, excerptUtf8: new Uint8Array(0), url: null, id: null, source: '', line: 1 };

/**
 * One engine's run over one or more segments: decode → parse → select → format, piece by piece,
 * what one thread's `TextReader` and pipeline do. Posts and output count from the end of their
 * piece (an error loses its piece's, as there); findings as they come.
 */
class SegmentParser {
  readonly engine: DumpEngine;
  private readonly decoder: InputDecoder;
  /** Where the decoder's first byte is in the input (for the offset of bytes that are not UTF-8). */
  private readonly start: number;
  private readonly source: string;
  private readonly format: FormatOptions;
  private readonly selection: Selection;
  private readonly formatter: Formatter;
  private posts: RawPost[] = [];
  private diagnostics: Diagnostic[] = [];
  private readonly buffers: OutputMemory;
  private readonly out: OutputBuffer;
  private first: Uint8Array | null = null;
  private firstEnd = 0;
  /** Output bytes, posts and selected posts of the pieces done, and of the piece being read. */
  private done = { bytes: 0, posts: 0, selected: 0 };
  private piece = { posts: 0, selected: 0 };

  constructor(job: SegmentJob, buffers: OutputMemory, start: number, linesBefore: number | null) {
    this.buffers = buffers;
    this.out = new OutputBuffer(0);
    this.out.bytes = buffers.take(0);
    this.start = start;
    this.source = job.source;
    this.format = job.format;
    // The input's first bytes decided UTF-8 (with or without a BOM, which only the first segment has).
    this.decoder = new InputDecoder('utf-8', job.source);
    this.engine = new DumpEngine(
      { source: job.source, maxLineBytes: job.maxLineBytes, ...(linesBefore === null ? {} : { segment: { layout: PLAIN, linesBefore } }) },
      { post: (p) => this.posts.push(p), diagnostic: (d) => this.diagnostics.push(d) },
    );
    this.selection = new Selection(job.select);
    this.formatter = pastFirstRecord(createFormatter(job.format));
  }

  /** A piece, or its first part (`ends` false: the rest comes with the next call). Throws what one thread would. */
  feed(bytes: Buffer, ends: boolean): void {
    this.engine.recycle();
    for (const text of this.decoder.push(bytes)) this.engine.write(text);
    this.write();
    if (ends) this.commit();
  }

  /** The input's end. */
  finish(): void {
    this.engine.recycle();
    for (const text of this.decoder.end()) this.engine.write(text);
    this.engine.end();
    this.write();
    this.commit();
  }

  /** The piece being read is done: its posts and output count. */
  commit(): void {
    this.done.bytes = this.out.length;
    this.done.posts += this.piece.posts;
    this.done.selected += this.piece.selected;
    this.piece = { posts: 0, selected: 0 };
  }

  /** An error ended the input: the piece it came in gives nothing. */
  fail(index: number, e: PostdumpError): SegmentResult {
    this.out.length = this.done.bytes;
    if (this.firstEnd > this.done.bytes) this.first = null;
    this.diagnostics.push(this.inInput(e.diagnostic));
    return this.result(index, 'failed', false);
  }

  /** What the pieces done so far gave, since the last result; the piece being read stays for the next. */
  result(index: number, end: SegmentEnd, oneThread: boolean): SegmentResult {
    const { out, done } = this;
    // The output so far is handed on as it is, and the rest moved to memory of the thread's.
    const bytes = done.bytes === 0 ? NOTHING : out.bytes.subarray(0, done.bytes);
    let first: Uint8Array | null = null;
    if (this.first !== null && this.firstEnd <= done.bytes) {
      first = this.first;
      this.first = null;
    }
    const result: SegmentResult = {
      index,
      end,
      records: { bytes, first, firstEnd: first === null ? 0 : this.firstEnd },
      diagnostics: this.diagnostics,
      posts: done.posts,
      selected: done.selected,
      oneThread,
    };
    // A run that ended keeps no memory; one that goes on moves the piece it is reading to fresh memory.
    if (end !== 'continues') out.bytes = NOTHING;
    else if (done.bytes > 0) {
      const rest = this.buffers.take(out.length - done.bytes);
      rest.set(out.bytes.subarray(done.bytes, out.length));
      out.bytes = rest;
      out.length -= done.bytes;
    }
    this.firstEnd -= done.bytes;
    this.done = { bytes: 0, posts: 0, selected: 0 };
    this.diagnostics = [];
    return result;
  }

  /** The posts the engine gave: selected and formatted, the first one also as an output's first. */
  private write(): void {
    const posts = this.posts;
    if (posts.length === 0) return;
    this.posts = [];
    this.piece.posts += posts.length;
    const kept = this.selection.push(posts);
    this.piece.selected += kept.length;
    if (kept.length === 0) return;
    if (this.out.length === 0 && this.first === null) {
      const head = kept.slice(0, 1);
      const alone = new OutputBuffer(1024);
      createFormatter(this.format).write(head, alone);
      this.first = alone.bytes.slice(0, alone.length);
      this.formatter.write(head, this.out);
      this.firstEnd = this.out.length;
      this.formatter.write(kept.slice(1), this.out);
      return;
    }
    this.formatter.write(kept, this.out);
  }

  /** A finding of a decoder that started inside the input, with its offset in the whole input. */
  private inInput(d: Diagnostic): Diagnostic {
    if (d.code !== 'UNDECODABLE' || !('offset' in d.args) || this.start === 0) return d;
    return diagnostic('UNDECODABLE', d.severity, this.source, { ...d.args, offset: d.args.offset + this.start });
  }
}

/** A thread's part of a segmented run: its reads of the input, and the engine it goes on with. */
export class SegmentThread {
  private readonly job: SegmentJob;
  private readonly fd: number;
  private readonly buffer: Buffer;
  /** How much of the next segment's first read is searched for its cut, and how much a run reads of it. */
  private readonly window: { cut: number; read: number };
  /** The line ends of the segments before `index`, as last summed. */
  private prefix = { index: 0, lines: 0 };
  private readonly counts: Float64Array;
  private readonly counted: Int32Array;
  private readonly segments: number;
  /** Memory for the segments' output, given back once written. */
  readonly output: OutputMemory;
  /** For counting the lines of a segment no thread has read yet. */
  private scratch: Buffer | null = null;
  /** The engines of segments that did not hand off, by the segment where their run began, and the input offset each has read to. */
  private readonly continuing = new Map<number, { parser: SegmentParser; at: number }>();

  constructor(job: SegmentJob) {
    this.job = job;
    this.segments = segmentCount(job.size, job.segmentBytes);
    this.counts = new Float64Array(job.lines, 0, this.segments);
    this.counted = new Int32Array(job.lines, this.segments * 8, this.segments);
    try {
      this.fd = openSync(pathLike(job.path), constants.O_RDONLY);
    } catch (e) {
      throw openError(job.source, e);
    }
    // A cut is looked for at the start of a segment's first read, where the run of the segment
    // before reads on to (its header, then the rest of that piece: the piece is at most
    // BATCH_BYTES, and the first two pieces of a read are the same in a read cut after 2 ×
    // BATCH_BYTES + 1 bytes as in the whole read).
    const cut = Math.min(job.chunkBytes, BATCH_BYTES);
    this.window = { cut, read: Math.min(job.chunkBytes, cut + BATCH_BYTES + 1) };
    this.buffer = Buffer.allocUnsafeSlow(job.segmentBytes + this.window.read);
    // Room for a segment's output in most formats (JSON Lines is about 1.1 times the dump).
    this.output = new OutputMemory(job.segmentBytes + (job.segmentBytes >> 1));
  }

  close(): void {
    closeSync(this.fd);
  }

  /**
   * Segment `index`: fresh (a new engine at its cut), or with the engine whose run began at
   * segment `chain` and did not hand off ('continues') to it.
   */
  run(index: number, fresh: boolean, chain = index): SegmentResult {
    const { size, segmentBytes } = this.job;
    const base = index * segmentBytes;
    const end = Math.min(base + segmentBytes, size) - base;
    const buf = this.read(this.buffer, base, Math.min(end + this.window.read, size - base));
    this.publish(index, countLineEnds(buf, 0, end, end < buf.length ? (buf[end] as number) : -1));
    const last = base + end === size;
    const next = last ? null : findCut(buf, end, Math.min(end + this.window.cut, buf.length));
    let parser: SegmentParser;
    let start = 0;
    if (!fresh) {
      const continuing = this.continuing.get(chain) as { parser: SegmentParser; at: number };
      this.continuing.delete(chain);
      parser = continuing.parser;
      start = continuing.at - base;
    } else if (index === 0) {
      parser = new SegmentParser(this.job, this.output, 0, null);
    } else {
      const cut = findCut(buf, 0, Math.min(this.window.cut, end));
      if (cut === null) return { ...NO_RECORDS, index, end: 'no-start', diagnostics: [] };
      start = cut.at;
      parser = new SegmentParser(this.job, this.output, base + start, this.linesBefore(index) + countLineEnds(buf, 0, start, -1));
    }
    const stop = next === null ? end : next.headerEnd;
    try {
      const pieceEnd = this.feed(parser, buf, base, start, stop);
      if (last) {
        parser.finish();
        return parser.result(index, 'end', false);
      }
      if (next !== null && this.handsOff(parser, buf, index, end, next, stop, pieceEnd)) {
        parser.commit();
        return parser.result(index, 'handoff', false);
      }
    } catch (e) {
      if (!(e instanceof PostdumpError) || e.scope !== 'input') throw e;
      return parser.fail(index, e);
    }
    this.continuing.set(chain, { parser, at: base + stop });
    const layout = parser.engine.decidedLayout;
    return parser.result(index, 'continues', layout !== null && layout !== PLAIN);
  }

  /**
   * Feeds `buf[start, stop)` in the one-thread run's pieces (each read of `chunkBytes` from the
   * input's start, in `batches`); returns the end of the piece it stopped in.
   */
  private feed(parser: SegmentParser, buf: Buffer, base: number, start: number, stop: number): number {
    const { chunkBytes } = this.job;
    let pieceEnd = stop;
    for (let read = start - ((base + start) % chunkBytes); read < stop; read += chunkBytes) {
      let at = read;
      for (const piece of batches(buf.subarray(read, Math.min(read + chunkBytes, buf.length)))) {
        const from = at;
        at += piece.length;
        if (at <= start) continue;
        // One thread checks a piece's UTF-8 before it parses any of it: a piece read in part is
        // read whole when the rest is not UTF-8 (its error ends the input here too).
        const to = at <= stop || !this.decodes(buf.subarray(stop, at)) ? at : stop;
        parser.feed(buf.subarray(Math.max(from, start), to), to === at);
        pieceEnd = at;
        if (at >= stop) break;
      }
    }
    return pieceEnd;
  }

  /**
   * Whether the next segment's fresh run goes on from here: the engine has opened the post of the
   * cut's title and header and holds nothing else, and the rest of the piece (which the one-thread
   * run reads with the header) raises no error.
   */
  private handsOff(parser: SegmentParser, buf: Buffer, index: number, end: number, cut: Cut, stop: number, pieceEnd: number): boolean {
    const before = this.linesBefore(index + 1) + countLineEnds(buf, end, cut.at, -1);
    if (!parser.engine.opensPostAt(before + 1, before + 1 + cut.titleToHeader)) return false;
    if (pieceEnd === stop) return true;
    const lines = new LineSplitter(() => {}, this.job.source, this.job.maxLineBytes);
    return this.decodes(buf.subarray(stop, pieceEnd), (text) => lines.push(text));
  }

  /** Whether `bytes` (from a line's start) are UTF-8 as one thread checks a piece, and their lines, if `lines`, not too long. */
  private decodes(bytes: Buffer, lines?: (text: Buffer) => void): boolean {
    try {
      for (const text of new InputDecoder('utf-8', this.job.source).push(bytes)) lines?.(text);
      return true;
    } catch (e) {
      if (e instanceof PostdumpError) return false;
      throw e;
    }
  }

  /** The engine whose run began at segment `chain` is not needed: its results are not read. */
  drop(chain: number): void {
    this.continuing.delete(chain);
  }

  /** Line ends before segment `index`: the segments' counts, each counted here if no thread has yet. */
  private linesBefore(index: number): number {
    let { index: i, lines } = index >= this.prefix.index ? this.prefix : { index: 0, lines: 0 };
    for (; i < index; i++) {
      if (Atomics.load(this.counted, i) === 0) this.countSegment(i);
      lines += this.counts[i] as number;
    }
    this.prefix = { index, lines };
    return lines;
  }

  private countSegment(index: number): void {
    const { size, segmentBytes, chunkBytes } = this.job;
    this.scratch ??= Buffer.allocUnsafeSlow(chunkBytes + 1);
    const scratch = this.scratch;
    const end = Math.min((index + 1) * segmentBytes, size);
    let lines = 0;
    for (let at = index * segmentBytes; at < end; at += chunkBytes) {
      const length = Math.min(chunkBytes, end - at);
      const buf = this.read(scratch, at, Math.min(length + 1, size - at));
      lines += countLineEnds(buf, 0, length, length < buf.length ? (buf[length] as number) : -1);
    }
    this.publish(index, lines);
  }

  private publish(index: number, lines: number): void {
    this.counts[index] = lines;
    Atomics.store(this.counted, index, 1);
  }

  /** `length` bytes of the input from `position`: the file is as long as when the run began, or reading it fails. */
  private read(buffer: Buffer, position: number, length: number): Buffer {
    let done: number;
    try {
      done = readAt(this.fd, buffer.subarray(0, length), position);
    } catch (e) {
      throw openError(this.job.source, e);
    }
    if (done < length) throw inputError('INPUT_UNREADABLE', this.job.source, { reason: 'it shrank while it was read' });
    return buffer.subarray(0, length);
  }
}

/**
 * A thread's memory for segments' output, reused: fresh memory costs a page fault per 4 KiB (measured:
 * a new buffer per segment doubled the run's CPU). A segment's output, once written, comes back.
 * It is shared memory, so that it goes between threads without being moved: the first ArrayBuffer
 * a thread moves (detaches) makes V8 throw away all its optimised code that reads typed arrays and
 * compile it again with checks for detached memory (measured on the bench's dump: 87 such deopts, 0.2 s of CPU).
 */
export class OutputMemory {
  private readonly size: number;
  private readonly spare: Uint8Array[] = [];

  constructor(size: number) {
    this.size = size;
  }

  /** Memory of at least `bytes`. */
  take(bytes: number): Uint8Array {
    const i = this.spare.findIndex((b) => b.length >= bytes);
    if (i !== -1) return this.spare.splice(i, 1)[0] as Uint8Array;
    return new Uint8Array(new SharedArrayBuffer(Math.max(bytes, this.size)));
  }

  /** Output memory that was handed on and is written now. */
  give(memory: SharedArrayBuffer): void {
    if (memory.byteLength > 0) this.spare.push(new Uint8Array(memory));
  }
}

const NOTHING = new Uint8Array(0);

const NO_RECORDS = { records: { bytes: NOTHING, first: null, firstEnd: 0 }, posts: 0, selected: 0, oneThread: false };
