import { Buffer } from 'node:buffer';
import { Readable, Writable } from 'node:stream';
import { runSegmented, type SegmentedRun } from '../../src/cli/segment-pool.js';
import type { Format } from '../../src/format/index.js';
import type { InputFile } from '../../src/input/expand.js';
import { segmentJob } from '../../src/input/segments.js';
import { recordWriter, run, Summary, type Options } from '../../src/pipeline.js';
import { POST_FIELDS } from '../../src/record.js';
import { SELECT_ALL, type SelectOptions } from '../../src/select.js';
import type { Diagnostic } from '../../src/types.js';

/** What a run gave: its output's bytes, its findings in order, its counts. */
export interface Outcome {
  output: Buffer;
  diagnostics: Diagnostic[];
  counts: { posts: number; selected: number; read: number; failed: number; errors: number; warnings: number };
}

export interface SegmentCase {
  format: Format;
  /** Bytes per read (both runs) and per segment. */
  chunkBytes: number;
  segmentBytes: number;
  maxLineBytes?: number;
  select?: Partial<SelectOptions>;
  /** Runners of segments on this thread (see `SegmentOptions.local`). */
  local?: number;
}

/** The one-thread run and the segmented run of `path`, as `parse` runs them. */
export async function bothRuns(path: string, c: SegmentCase): Promise<{ one: Outcome; segmented: Outcome; run: SegmentedRun | null }> {
  const one = await outcome(path, c, async (options, writer, io) => {
    await run(options, writer, io);
  });
  let segmentedRun: SegmentedRun | null = null;
  const segmented = await outcome(path, c, async (options, writer, io) => {
    const job = segmentJob(options, writer.format, { threshold: 0, chunkBytes: c.chunkBytes, segmentBytes: c.segmentBytes });
    segmentedRun = job === null ? null : await runSegmented(job, writer, io, { jobs: 2, local: c.local ?? 2 });
    if (segmentedRun === null) await run(options, writer, io);
  });
  return { one, segmented, run: segmentedRun };
}

type Runner = (options: Options, writer: Awaited<ReturnType<typeof recordWriter>>, io: { stdin: Readable; summary: Summary }) => Promise<void>;

async function outcome(path: string, c: SegmentCase, runIt: Runner): Promise<Outcome> {
  const input: InputFile = { path, source: 'dump.txt', relative: 'dump.txt', found: false };
  const options: Options = {
    inputs: [input],
    read: { chunkBytes: c.chunkBytes, ...(c.maxLineBytes === undefined ? {} : { maxLineBytes: c.maxLineBytes }) },
    select: { ...SELECT_ALL, fields: POST_FIELDS, ...c.select },
    format: { format: c.format, compact: false, excel: false, table: false },
    output: null,
    force: false,
    strict: false,
  };
  const chunks: Buffer[] = [];
  const stdout = new Writable({
    write(chunk: Buffer, _encoding, done) {
      // Copied: the writer reuses its memory once the write is done.
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  const diagnostics: Diagnostic[] = [];
  const summary = new Summary((d) => diagnostics.push(d), { warningsFail: false });
  await runIt(options, await recordWriter(options, stdout), { stdin: Readable.from([]), summary });
  const { posts, selected, files } = summary;
  return {
    output: Buffer.concat(chunks),
    diagnostics,
    counts: { posts, selected, read: files.read, failed: files.failed, errors: summary.errors, warnings: summary.warnings },
  };
}
