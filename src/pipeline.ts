import { fstat } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import { promisify } from 'node:util';
import { OutputClosedError, PostdumpError } from './errors.js';
import { createFormatter, type FormatOptions } from './format/index.js';
import { OutputBuffer } from './format/output-buffer.js';
import type { Encoding } from './input/decode.js';
import { readInput } from './input/read.js';
import { openFileSink } from './output/file.js';
import type { Sink } from './output/sink.js';
import { StreamSink } from './output/stream.js';
import { readRecords } from './records.js';
import type { Diagnostic } from './types.js';

/** Everything a run needs, normalized once from the command line. */
export interface Options extends FormatOptions {
  /** Paths, `-` for stdin. */
  inputs: readonly string[];
  /** `-o FILE`, or null for stdout. */
  output: string | null;
  force: boolean;
  /** Warnings count as errors. */
  strict: boolean;
  encoding: Encoding;
  maxLineBytes: number;
}

/** The process's streams, passed in so that tests and workers can run the pipeline too. */
export interface IO {
  stdin: Readable;
  stdout: Writable;
  /** Receives every diagnostic as it is found. */
  report(d: Diagnostic): void;
}

export interface Summary {
  posts: number;
  errors: number;
  warnings: number;
}

// Output is handed on in pieces of about this size: few, large writes.
const FLUSH_BYTES = 1 << 20;

/**
 * The one way data flows: read → decode → parse → format → write. Inputs are read in order into one
 * output; an input that fails is reported and the rest still run. A file output is only put in place
 * when the run succeeds.
 */
export async function run(options: Options, io: IO): Promise<Summary> {
  const summary: Summary = { posts: 0, errors: 0, warnings: 0 };
  const report = (d: Diagnostic): void => {
    if (d.severity === 'error') summary.errors++;
    if (d.severity === 'warning') summary.warnings++;
    io.report(d);
  };
  const sink: Sink = options.output === null ? new StreamSink(io.stdout) : await openFileSink(options.output, { force: options.force, inputs: await inputIdentities(options.inputs) });
  const formatter = createFormatter(options);
  const out = new OutputBuffer();
  // One write in flight while the next piece fills: parsing and writing overlap.
  let writing: Promise<void> = Promise.resolve();
  const flush = async (): Promise<void> => {
    await writing;
    writing = sink.write(out.take());
    // Its failure is seen at the next await of `writing`, not as an unhandled rejection meanwhile.
    writing.catch(() => {});
  };
  let started = false;
  try {
    for (const input of options.inputs) {
      const records = readRecords(readInput(input, io.stdin), {
        source: input,
        encoding: options.encoding,
        maxLineBytes: options.maxLineBytes,
        onDiagnostic: report,
      });
      try {
        for await (const posts of records) {
          if (!started) formatter.start(out);
          started = true;
          summary.posts += posts.length;
          formatter.write(posts, out);
          if (out.length >= FLUSH_BYTES) await flush();
        }
      } catch (e) {
        if (!(e instanceof PostdumpError) || e.diagnostic.source === null) throw e;
        report(e.diagnostic);
      }
    }
    const failed = summary.errors > 0 || (options.strict && summary.warnings > 0);
    // With no post at all there is nothing to write, not even an empty array; with a file output, a failed run writes nothing.
    if (summary.posts === 0 || (failed && options.output !== null)) {
      await writing;
      await sink.abort();
      return summary;
    }
    formatter.finish(out);
    await flush();
    await writing;
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
async function inputIdentities(inputs: readonly string[]): Promise<{ dev: number; ino: number }[]> {
  const stats = await Promise.all(inputs.map((path) => (path === '-' ? promisify(fstat)(0) : stat(path)).catch(() => null)));
  return stats.filter((s) => s !== null);
}
