import { fstatSync, statSync } from 'node:fs';
import { OutputClosedError, PostdumpError } from './errors.js';
import { eventLoopTurn, turnIfDue, withTurns } from './event-loop.js';
import { createFormatter, type FormatOptions } from './format/index.js';
import { OutputBuffer } from './format/output-buffer.js';
import type { InputFile } from './input/expand.js';
import { emptyTally, inputCount, tallyNote, type FileTally } from './input/file-tally.js';
import { pathLike, readInput } from './input/read.js';
import { MemoryBudget, memoryLimits } from './memory.js';
import { openFileSink } from './output/file.js';
import type { Sink } from './output/sink.js';
import { type ByteStream, StreamSink } from './output/stream.js';
import { readRecords, type ReadOptions } from './input/read-by-kind.js';
import { Selection, type SelectOptions } from './select.js';
import type { Diagnostic } from './types.js';
import type { BorrowedBatch } from './borrowed.js';
import { pastFirstRecord, type FormattedRecords } from './segments.js';

/** What a run reads and which posts it keeps, normalized once from the command line. */
export interface RunOptions {
  /** Files, and `-` for stdin. */
  inputs: readonly InputFile[];
  read: ReadOptions;
  /** Which posts, in which order; its `fields` are the output's. */
  select: SelectOptions;
}

/** A run into one output (parse, convert): what it reads, and how and where its records are written. */
export interface Options extends RunOptions {
  format: Omit<FormatOptions, 'fields'>;
  /** `-o FILE`, or null for stdout. */
  output: string | null;
  force: boolean;
  /** Warnings count as errors (what a convert task makes its `Summary` with). */
  strict: boolean;
  /** Write the output even when an input failed, with the posts of the others (convert --merge). */
  partial?: boolean;
  /**
   * Files never to overwrite, the inputs among them (convert: every input of the batch, looked up once
   * for all its tasks). Without it, the inputs are looked up.
   */
  protect?: readonly FileIdentity[];
}

/** A file whatever path reaches it: device and inode. */
export interface FileIdentity {
  dev: number;
  ino: number;
}

/** What a run reads from besides its files, and the counter that receives its findings. */
export interface IO {
  stdin: AsyncIterable<Buffer>;
  summary: Summary;
}

/**
 * What a run found, and the one place that counts it: every diagnostic goes through `report`, which
 * counts it by its severity (and a note of an input skipped or without posts) before it prints it,
 * so that no other code counts errors or warnings. Posts and inputs read are counted by the pipeline
 * (or, for convert's workers, added once per input with `add`). The CLI turns `failed` into the exit
 * status.
 */
export class Summary {
  /** Posts read. */
  posts = 0;
  /** Posts that passed the selection. */
  selected = 0;
  /** Inputs read and skipped. */
  readonly files: FileTally = emptyTally();
  /** Posts seen more than once, and all their copies (counted when the selection is asked to). */
  duplicates = { posts: 0, copies: 0 };
  private readonly print: (d: Diagnostic) => void;
  private readonly warningsFail: boolean;
  private readonly counted = { errors: 0, warnings: 0 };

  /**
   * `print`: where each diagnostic goes once counted (the reporter's printer, or a list);
   * `warningsFail`: warnings count as errors (`--strict`, and `check`, which anything found fails).
   */
  constructor(print: (d: Diagnostic) => void, { warningsFail }: { warningsFail: boolean }) {
    this.print = print;
    this.warningsFail = warningsFail;
  }

  /** Counts a diagnostic, then prints it. */
  readonly report = (d: Diagnostic): void => {
    if (d.severity === 'error') this.counted.errors++;
    if (d.severity === 'warning') this.counted.warnings++;
    tallyNote(this.files, d);
    this.print(d);
  };

  get errors(): number {
    return this.counted.errors;
  }

  get warnings(): number {
    return this.counted.warnings;
  }

  /** The one exit rule: an error, or a warning when warnings count as errors. */
  get failed(): boolean {
    return this.errors > 0 || (this.warningsFail && this.warnings > 0);
  }

  /** What counting an input (in a worker thread) found besides its diagnostics, which went through `report`. */
  counts(): InputCounts {
    return { posts: this.posts, selected: this.selected, read: this.files.read, failed: this.files.failed };
  }

  add(part: InputCounts): void {
    this.posts += part.posts;
    this.selected += part.selected;
    this.files.read += part.read;
    this.files.failed += part.failed;
  }
}

/** The counts of a run that do not come from its diagnostics: what a convert worker hands back with an input's. */
export interface InputCounts {
  posts: number;
  selected: number;
  read: number;
  failed: number;
}

/**
 * Where a run's selected posts go: formatted into an output ({@link recordWriter}), counted (stats),
 * written as notes (split), or nowhere (check, which wants only the diagnostics). `write` gets each
 * batch, borrowed until it returns; then `finish` when the run gave posts, else `abort`.
 */
export interface Consumer {
  write(posts: BorrowedBatch): void | Promise<void>;
  /** The run is over and read posts; `summary` tells whether it failed. */
  finish(summary: Summary): void | Promise<void>;
  /** The run read no post at all, or stopped on a failure: nothing is to be left behind. */
  abort(): void | Promise<void>;
}

/** Takes the posts and does nothing with them: a run for its diagnostics (check). */
export const DISCARD: Consumer = { write() {}, finish() {}, abort() {} };

// Output is handed on in pieces of about this size: few, large writes.
const FLUSH_BYTES = 1 << 20;

/**
 * The posts of every input, in input order and in batches: read → decode → parse. An input that
 * fails (an error of input scope) is reported and the rest still run; a failure of the whole run
 * ends it. Each batch is borrowed until the next one is asked for (see `RecordReader`). Between two
 * chunks read, the event loop gets a turn now and then: a signal is handled while a long input is
 * parsed.
 */
export async function* readPosts(inputs: readonly InputFile[], read: ReadOptions, io: IO): AsyncGenerator<BorrowedBatch> {
  const { summary } = io;
  for (const input of inputs) {
    const counted = inputCount(summary.files);
    const onRead = (): void => {
      summary.files.read++;
    };
    try {
      const bytes = withTurns(readInput(input.path, io.stdin, input.source, read.chunkBytes));
      for await (const posts of readRecords(bytes, { ...read, source: input.source, found: input.found, onDiagnostic: summary.report, onRead })) {
        summary.posts += posts.length;
        yield posts;
      }
    } catch (e) {
      if (!(e instanceof PostdumpError) || e.scope === 'run') throw e;
      summary.report(e.diagnostic);
    } finally {
      // An input that was neither read nor skipped failed before it could be (missing, binary, ...).
      if (inputCount(summary.files) === counted) summary.files.failed++;
    }
  }
}

/** Where a run's posts come from: `readPosts`, or convert's workers reading in parallel. */
export type PostSource = (inputs: readonly InputFile[], read: ReadOptions, io: IO) => AsyncIterable<BorrowedBatch>;

/**
 * The one way data flows, for every command: read → decode → parse → select → `consumer`, in
 * batches (borrowed, as `readPosts`). With no post at all, the consumer is told to `abort`: no
 * output, not even `[]` (but a selection that keeps none of the posts read gives the consumer's
 * empty result). A reader of the output that went away (`| head -1`) ends the run quietly, its
 * findings deciding the status.
 */
export async function run(options: RunOptions, consumer: Consumer, io: IO, source: PostSource = readPosts): Promise<void> {
  const { summary } = io;
  try {
    const selection = new Selection(options.select, new MemoryBudget(memoryLimits()));
    for await (const batch of source(options.inputs, options.read, io)) {
      const kept = selection.push(batch);
      summary.selected += kept.length;
      if (kept.length > 0) await consumer.write(kept);
    }
    // The held posts (sorted, or deduplicated), in batches: consumed one batch at a time, a signal
    // handled between two (an empty batch is only such a pause, in a long sort).
    for (const rest of selection.end()) {
      summary.selected += rest.length;
      if (rest.length > 0) await consumer.write(rest);
      await turnIfDue();
    }
    if (options.select.countDuplicates === true) summary.duplicates = selection.duplicates();
    if (summary.posts === 0) await consumer.abort();
    else await consumer.finish(summary);
  } catch (e) {
    await consumer.abort();
    if (e instanceof OutputClosedError) return;
    throw e;
  }
}

/** The consumer that writes records into one output: posts, or records formatted elsewhere (on threads). */
export interface RecordWriter extends Consumer {
  /** The output's format, its fields included. */
  readonly format: FormatOptions;
  /** Records formatted apart with this format, written in turn (see `FormattedRecords`). */
  writeFormatted(records: FormattedRecords): Promise<void>;
}

/**
 * Formatter + sink: the consumer that writes the records to one output. A file output (not a
 * device) is only put in place when the run succeeds (with `partial`, when any input gave posts).
 * The sink is opened at once, so that an output that may not be written stops the run before it
 * reads.
 */
export async function recordWriter(options: Options, stdout: ByteStream): Promise<RecordWriter> {
  const sink: Sink =
    options.output === null
      ? new StreamSink(stdout)
      : await openFileSink(options.output, { force: options.force, inputs: options.protect ?? (await inputIdentities(options.inputs)) });
  const format = { ...options.format, fields: options.select.fields };
  const formatter = createFormatter(format);
  const out = new OutputBuffer();
  let started = false;
  /** Whether records formatted apart were written: the formatter is then told it is past its first. */
  let formattedApart = false;
  // One write in flight while the next piece fills: parsing and writing overlap.
  let writing: Promise<void> = Promise.resolve();
  const send = async (bytes: Uint8Array): Promise<void> => {
    await writing;
    writing = sink.write(bytes);
    // Its failure is seen at the next await of `writing`, not as an unhandled rejection meanwhile.
    writing.catch(() => {});
  };
  const flush = (): Promise<void> => send(out.take());
  const start = (): void => {
    if (!started) formatter.start(out);
    started = true;
  };
  return {
    format,
    async write(posts) {
      start();
      formatter.write(posts, out);
      if (out.length >= FLUSH_BYTES) await flush();
    },
    async writeFormatted({ bytes, first, firstEnd }) {
      start();
      let from = 0;
      if (first !== null && !formattedApart) {
        out.copy(first, 0, first.length);
        from = firstEnd;
        pastFirstRecord(formatter);
        formattedApart = true;
      }
      if (from === bytes.length) return;
      // A segment's records go to the sink as they are, after what the buffer holds, in pieces of
      // the usual size (measured: writes of 4 MiB took five times the system time of 1 MiB ones).
      if (out.length > 0) await flush();
      for (let at = from; at < bytes.length; at += FLUSH_BYTES) await send(bytes.subarray(at, Math.min(bytes.length, at + FLUSH_BYTES)));
    },
    async finish(summary) {
      if (sink.atomic && options.partial !== true && summary.failed) {
        await writing;
        await sink.abort();
        return;
      }
      start();
      formatter.finish(out);
      await flush();
      await writing;
      // A signal that came during the last stretch of work is handled before the output is put in place.
      await eventLoopTurn();
      await sink.close();
    },
    abort: () => sink.abort(),
  };
}

/**
 * Device and inode of each input that exists, stdin included, so `-o` can refuse to overwrite one.
 * Looked up synchronously: a `stat` costs a few microseconds, a round trip to the thread pool more
 * (measured: 2,000 inputs, 8-18 ms against 19-59 ms, and a third of the CPU).
 */
export async function inputIdentities(inputs: readonly InputFile[]): Promise<FileIdentity[]> {
  const identities: FileIdentity[] = [];
  for (const { path } of inputs) {
    try {
      const { dev, ino } = path === '-' ? fstatSync(0) : statSync(pathLike(path));
      identities.push({ dev, ino });
    } catch {
      // Missing or unreadable: reading it reports that.
    }
  }
  return identities;
}
