import { Buffer } from 'node:buffer';
import { InputDecoder, type Encoding } from './input/decode.js';
import { DumpEngine } from './parse/engine.js';
import type { RawPost } from './record.js';
import type { Diagnostic } from './types.js';

/** How inputs are read, the same for every input of a run. */
export interface ReadOptions {
  /** `auto` (the default) or an encoding name. */
  encoding?: Encoding;
  /** A longer line is an error (default 64 MiB). */
  maxLineBytes?: number;
}

/** How to read one input. */
export interface RecordOptions extends ReadOptions {
  /** Input name for records and diagnostics: a path, or `-` for stdin. */
  source: string;
  /** Called with each warning and note as it is found. */
  onDiagnostic?: (d: Diagnostic) => void;
}

/**
 * One input's bytes to records: decode → parse. Feed it chunks; it hands back the posts each
 * completes. A post's `excerptUtf8` is valid until the next `push` or `end`, which reuse its memory:
 * whoever keeps posts longer copies them (`toPost`, or `excerptUtf8.slice()`).
 */
export class RecordReader {
  private readonly decoder: InputDecoder;
  private readonly engine: DumpEngine;
  private done: RawPost[] = [];

  constructor(options: RecordOptions) {
    this.decoder = new InputDecoder(options.encoding ?? 'auto', options.source);
    const onDiagnostic = options.onDiagnostic ?? (() => {});
    this.engine = new DumpEngine(
      { source: options.source, ...(options.maxLineBytes === undefined ? {} : { maxLineBytes: options.maxLineBytes }) },
      { post: (p) => this.done.push(p), diagnostic: onDiagnostic },
    );
  }

  push(chunk: Uint8Array | string): RawPost[] {
    this.engine.recycle();
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    for (const text of this.decoder.push(bytes)) this.engine.write(text);
    return this.take();
  }

  end(): RawPost[] {
    this.engine.recycle();
    for (const text of this.decoder.end()) this.engine.write(text);
    this.engine.end();
    return this.take();
  }

  private take(): RawPost[] {
    const posts = this.done;
    this.done = [];
    return posts;
  }
}

/** The records of a stream of chunks, in batches as they complete. */
export async function* readRecords(chunks: AsyncIterable<Uint8Array | string>, options: RecordOptions): AsyncGenerator<RawPost[]> {
  const reader = new RecordReader(options);
  for await (const chunk of chunks) {
    const posts = reader.push(chunk);
    if (posts.length > 0) yield posts;
  }
  const posts = reader.end();
  if (posts.length > 0) yield posts;
}
