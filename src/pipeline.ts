import { fstat } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import { promisify } from 'node:util';
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
import { StreamSink } from './output/stream.js';
import { readRecords, type ReadOptions } from './input/read-by-kind.js';
import { Selection, type SelectOptions } from './select.js';
import type { Diagnostic } from './types.js';
import type { BorrowedBatch } from './borrowed.js';

/** Everything a run needs, normalized once from the command line. */
export interface Options {
  /** Files, and `-` for stdin. */
  inputs: readonly InputFile[];
  read: ReadOptions;
  /** Which posts, in which order; its `fields` are the output's. */
  select: SelectOptions;
  format: Omit<FormatOptions, 'fields'>;
  /** `-o FILE`, or null for stdout. */
  output: string | null;
  force: boolean;
  /** Warnings count as errors. */
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

/** The process's streams, passed in so that tests and workers can run the pipeline too. */
export interface IO {
  stdin: Readable;
  stdout: Writable;
  /** Receives every diagnostic as it is found. */
  report(d: Diagnostic): void;
}

/** What a run found: the CLI turns it into the exit status. */
export interface Summary {
  /** Posts read. */
  posts: number;
  /** Posts that passed the selection. */
  selected: number;
  errors: number;
  warnings: number;
  /** Inputs read and skipped. */
  files: FileTally;
  /** Posts seen more than once, and all their copies (counted when the selection is asked to). */
  duplicates: { posts: number; copies: number };
}

export const emptySummary = (): Summary => ({ posts: 0, selected: 0, errors: 0, warnings: 0, files: emptyTally(), duplicates: { posts: 0, copies: 0 } });

/** Counts a finding into a run's summary: errors, warnings, and notes of inputs skipped or without posts. */
export function countFinding(summary: Summary, d: Diagnostic): void {
  if (d.severity === 'error') summary.errors++;
  if (d.severity === 'warning') summary.warnings++;
  tallyNote(summary.files, d);
}

export function failed(summary: Summary, strict: boolean): boolean {
  return summary.errors > 0 || (strict && summary.warnings > 0);
}

// Output is handed on in pieces of about this size: few, large writes.
const FLUSH_BYTES = 1 << 20;

/**
 * The posts of every input, in input order and in batches: read → decode → parse. An input that
 * fails is reported (with `summary` counting it) and the rest still run. Each batch is borrowed until
 * the next one is asked for (see `RecordReader`). Between two chunks read, the event loop gets a
 * turn now and then: a signal is handled while a long input is parsed.
 */
export async function* readPosts(inputs: readonly InputFile[], read: ReadOptions, io: IO, summary: Summary): AsyncGenerator<BorrowedBatch> {
  const report = (d: Diagnostic): void => {
    countFinding(summary, d);
    io.report(d);
  };
  for (const input of inputs) {
    const counted = inputCount(summary.files);
    const onRead = (): void => {
      summary.files.read++;
    };
    try {
      const bytes = withTurns(readInput(input.path, io.stdin, input.source));
      for await (const posts of readRecords(bytes, { ...read, source: input.source, found: input.found, onDiagnostic: report, onRead })) {
        summary.posts += posts.length;
        yield posts;
      }
    } catch (e) {
      if (!(e instanceof PostdumpError) || e.diagnostic.source === null) throw e;
      report(e.diagnostic);
    } finally {
      // An input that was neither read nor skipped failed before it could be (missing, binary, ...).
      if (inputCount(summary.files) === counted) summary.files.failed++;
    }
  }
}

/** Where a run's posts come from: `readPosts`, or convert's workers reading in parallel. */
export type PostSource = (inputs: readonly InputFile[], read: ReadOptions, io: IO, summary: Summary) => AsyncIterable<BorrowedBatch>;

/** The posts every command works on: read → decode → parse → select, in batches (borrowed, as `readPosts`). */
export async function* selectPosts(
  options: Pick<Options, 'inputs' | 'read' | 'select'>,
  io: IO,
  summary: Summary,
  source: PostSource = readPosts,
): AsyncGenerator<BorrowedBatch> {
  const selection = new Selection(options.select, new MemoryBudget(memoryLimits()));
  for await (const batch of source(options.inputs, options.read, io, summary)) {
    const kept = selection.push(batch);
    summary.selected += kept.length;
    if (kept.length > 0) yield kept;
  }
  // The held posts (sorted, or deduplicated), in batches: formatted and written one batch at a time,
  // a signal handled between two (an empty batch is only such a pause, in a long sort).
  for (const rest of selection.end()) {
    summary.selected += rest.length;
    if (rest.length > 0) yield rest;
    await turnIfDue();
  }
  if (options.select.countDuplicates === true) summary.duplicates = selection.duplicates();
}

/**
 * The one way data flows to one output: read → decode → parse → select → format → write. A file
 * output (not a device) is only put in place when the run succeeds (with `partial`, when any input gave posts); with
 * no post at all nothing is written, not even `[]` (but a selection that keeps none of the posts read
 * writes the format's empty document). `summary` may come with findings counted already (about the
 * inputs given).
 */
export async function run(options: Options, io: IO, source: PostSource = readPosts, summary: Summary = emptySummary()): Promise<Summary> {
  const sink: Sink =
    options.output === null
      ? new StreamSink(io.stdout)
      : await openFileSink(options.output, { force: options.force, inputs: options.protect ?? (await inputIdentities(options.inputs)) });
  const formatter = createFormatter({ ...options.format, fields: options.select.fields });
  const out = new OutputBuffer();
  // One write in flight while the next piece fills: parsing and writing overlap.
  let writing: Promise<void> = Promise.resolve();
  const flush = async (): Promise<void> => {
    await writing;
    writing = sink.write(out.take());
    // Its failure is seen at the next await of `writing`, not as an unhandled rejection meanwhile.
    writing.catch(() => {});
  };
  try {
    let started = false;
    for await (const posts of selectPosts(options, io, summary, source)) {
      if (!started) formatter.start(out);
      started = true;
      formatter.write(posts, out);
      if (out.length >= FLUSH_BYTES) await flush();
    }
    if (summary.posts === 0 || (sink.atomic && options.partial !== true && failed(summary, options.strict))) {
      await writing;
      await sink.abort();
      return summary;
    }
    if (!started) formatter.start(out);
    formatter.finish(out);
    await flush();
    await writing;
    // A signal that came during the last stretch of work is handled before the output is put in place.
    await eventLoopTurn();
    await sink.close();
    return summary;
  } catch (e) {
    await sink.abort();
    // The reader has all it wanted (`| head -1`): stop, and let the run's findings decide the status.
    if (e instanceof OutputClosedError) return summary;
    throw e;
  }
}

/** Device and inode of each input that exists, stdin included, so `-o` can refuse to overwrite one. */
export async function inputIdentities(inputs: readonly InputFile[]): Promise<FileIdentity[]> {
  const stats = await Promise.all(inputs.map(({ path }) => (path === '-' ? promisify(fstat)(0) : stat(pathLike(path))).catch(() => null)));
  return stats.filter((s) => s !== null).map(({ dev, ino }) => ({ dev, ino }));
}
