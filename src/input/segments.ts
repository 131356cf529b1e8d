import { Buffer } from 'node:buffer';
import { closeSync, constants, openSync, statSync, type Stats } from 'node:fs';
import { PostdumpError } from '../errors.js';
import type { FormatOptions } from '../format/index.js';
import { DEFAULT_MAX_LINE_BYTES } from '../parse/engine.js';
import { LineSplitter } from '../parse/lines.js';
import type { RunOptions } from '../pipeline.js';
import { lineCounts, segmentCount, type SegmentJob } from '../segments.js';
import { InputDecoder, resolveEncoding, SNIFF_BYTES } from './decode.js';
import { CONTAINERS, LAYERS } from './kinds.js';
import { batches, kindOf, nameHint, OUTER_SNIFF_BYTES, sniffHead } from './read-by-kind.js';
import { CHUNK_BYTES, pathLike, readAt } from './read.js';

/** When a dump is parsed in segments on several threads, and how it is cut. */
export interface SegmentTuning {
  /** Only a regular file larger than this is. */
  threshold: number;
  /** Bytes per read: the one-thread run's (tests make both small). */
  chunkBytes: number;
  /** Bytes per segment: rounded to a whole number of reads. */
  segmentBytes: number;
}

// A worker costs about half a second of CPU that one thread does not spend (its start, V8 compiling
// the hot code again for its isolate; measured on the bench's 228 MB dump): only a large dump is worth one (the issue's
// 64 MB). A segment is one read (1 MiB, about 5 ms of parsing): the threads end together and little
// waits in memory (peak RSS 97 MB on the dump; 2 MiB segments gave 105 MB, 4 MiB ones 121 MB), and
// its per-segment costs (a cut, a line count, a new engine) stay under a tenth of the run.
export const SEGMENTING: SegmentTuning = { threshold: 64 * 1024 * 1024, chunkBytes: CHUNK_BYTES, segmentBytes: 1024 * 1024 };

/**
 * The segmented run of `options`, or null when it must run on one thread as it always has: not
 * exactly one input that is a regular file above the threshold, a selection that holds posts (sort,
 * dedupe, limit), or a start that is not a UTF-8 text dump of which the one-thread run would read
 * the first piece without an error (that piece is read in one go there, in pieces here; see
 * `segments.ts`). The layout (plain or a renderer's) is the first segment's engine's to tell.
 */
export function segmentJob(options: RunOptions, format: FormatOptions, tuning: SegmentTuning = SEGMENTING): SegmentJob | null {
  const input = options.inputs.length === 1 ? options.inputs[0] : undefined;
  const { select, read } = options;
  if (input === undefined || input.path === '-' || input.found === true) return null;
  if (select.sort !== null || select.limit !== null || select.dedupe || select.countDuplicates === true) return null;
  if ((read.inputType ?? 'auto') !== 'auto' && read.inputType !== 'text') return null;
  const encoding = resolveEncoding(read.encoding ?? 'auto');
  if (encoding !== 'auto' && encoding !== 'utf-8') return null;
  let info: Stats;
  try {
    info = statSync(pathLike(input.path));
  } catch {
    return null;
  }
  if (!info.isFile() || info.size <= tuning.threshold) return null;
  const chunkBytes = read.chunkBytes ?? tuning.chunkBytes;
  const maxLineBytes = read.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const head = readHead(input.path, Math.min(info.size, 2 * SNIFF_BYTES + chunkBytes + OUTER_SNIFF_BYTES));
  if (head === null || !isPlainStart(head, info.size, input.source, encoding, chunkBytes, maxLineBytes)) return null;
  const segmentBytes = Math.max(1, Math.round(tuning.segmentBytes / chunkBytes)) * chunkBytes;
  return {
    path: input.path,
    source: input.source,
    size: info.size,
    chunkBytes,
    segmentBytes,
    maxLineBytes,
    select,
    format,
    lines: lineCounts(segmentCount(info.size, segmentBytes)),
  };
}

function readHead(path: string | Uint8Array, length: number): Buffer | null {
  try {
    const fd = openSync(pathLike(path), constants.O_RDONLY);
    try {
      const buffer = Buffer.allocUnsafe(length);
      return buffer.subarray(0, readAt(fd, buffer, 0));
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
}

/**
 * Whether the one-thread run would read this input's start as a UTF-8 text dump (what
 * `readRecords` and `RecordReader` decide from it, asked the same way) and read its first write to
 * the engine (the first pieces, up to `SNIFF_BYTES`) without an error.
 */
function isPlainStart(head: Buffer, size: number, source: string, encoding: string, chunkBytes: number, maxLineBytes: number): boolean {
  const name = nameHint(source);
  const atEnd = head.length === size;
  // What the one-thread run reads first: its first read, or its first reads up to OUTER_SNIFF_BYTES.
  const firstLength = Math.min(head.length, Math.max(chunkBytes, Math.ceil(OUTER_SNIFF_BYTES / chunkBytes) * chunkBytes));
  const outer = sniffHead(head.subarray(0, firstLength), atEnd && firstLength === size, name, encoding);
  if (CONTAINERS.some((c) => c.sniff(outer)) || LAYERS.some((l) => l.sniff(outer))) return false;
  // The pieces its RecordReader gets, and when it asks the kinds.
  const ends: number[] = [];
  let at = 0;
  const reads = [head.subarray(0, firstLength)];
  for (let read = firstLength; read < head.length; read += chunkBytes) reads.push(head.subarray(read, Math.min(read + chunkBytes, head.length)));
  for (const read of reads) {
    for (const piece of batches(read)) {
      at += piece.length;
      ends.push(at);
    }
  }
  let sniffed = 0;
  let kind = null;
  let firstWrite = head.length;
  for (const end of ends) {
    if (kind === null && (end >= 2 * sniffed || end >= SNIFF_BYTES)) {
      sniffed = end;
      kind = kindOf(sniffHead(head.subarray(0, end), false, name, encoding));
    }
    if (kind !== null && end >= SNIFF_BYTES) {
      firstWrite = end;
      break;
    }
  }
  if (kind === null && atEnd) kind = kindOf(sniffHead(head, true, name, encoding));
  if (kind === null || kind.name !== 'text') return false;
  try {
    if (encoding === 'auto') {
      const detect = new InputDecoder('auto', source);
      detect.push(head.subarray(0, SNIFF_BYTES));
      if (atEnd && head.length <= SNIFF_BYTES) detect.end();
      if (detect.encoding !== 'utf-8') return false;
    }
    const lines = new LineSplitter(() => {}, source, maxLineBytes);
    const decoder = new InputDecoder('utf-8', source);
    for (const text of decoder.push(head.subarray(0, firstWrite))) lines.push(text);
    if (firstWrite === size) {
      for (const text of decoder.end()) lines.push(text);
      lines.end();
    }
    return true;
  } catch (e) {
    if (e instanceof PostdumpError) return false;
    throw e;
  }
}
