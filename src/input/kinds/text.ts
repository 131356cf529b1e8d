import type { Buffer } from 'node:buffer';
import { DumpEngine } from '../../parse/engine.js';
import type { RawPost } from '../../record.js';
import { InputDecoder } from '../decode.js';
import type { KindReader, ReadContext, ReadKind } from '../kinds.js';

/** A text dump (SPEC §2): any text may be one, so it is the last kind tried. Read as a stream. */
export const textKind: ReadKind<'text'> = {
  name: 'text',
  sniff: () => 'maybe',
  read: (context) => new TextReader(context),
};

/** Decode → the dump grammar's state machine, chunk by chunk. */
export class TextReader implements KindReader {
  private readonly decoder: InputDecoder;
  private readonly engine: DumpEngine;
  private done: RawPost[] = [];

  constructor(context: ReadContext) {
    this.decoder = new InputDecoder(context.encoding, context.source, false, context.charset);
    const { source, maxLineBytes } = context;
    this.engine = new DumpEngine(
      // Its posts are handed on before the next chunk is asked for: they may view the chunk.
      { source, borrowChunks: true, ...(maxLineBytes === undefined ? {} : { maxLineBytes }) },
      { post: (p) => this.done.push(p), diagnostic: context.report },
    );
  }

  push(chunk: Buffer): RawPost[] {
    this.engine.recycle();
    for (const text of this.decoder.push(chunk)) this.engine.write(text);
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
