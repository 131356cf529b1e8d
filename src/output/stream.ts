import type { Writable } from 'node:stream';
import { OutputClosedError, PostdumpError, systemReason } from '../errors.js';
import { diagnostic } from '../diagnostics.js';
import type { Sink } from './sink.js';

/**
 * Writes to a stream: standard output, or a device or FIFO named as an output. Each write resolves
 * once the stream has handed the bytes to the system, so a slow reader makes us wait instead of
 * buffering. A reader that goes away (EPIPE) becomes `OutputClosedError`, which ends the run
 * quietly; any other write error (a full disk) is a one-line error.
 */
export class StreamSink implements Sink {
  private readonly stream: Writable;
  private readonly name: string;
  private readonly end: boolean;
  private failure: Error | null = null;

  /** `name` is what messages call the stream; with `end`, closing ends it (standard output stays open). */
  constructor(stream: Writable, name = 'standard output', { end = false } = {}) {
    this.stream = stream;
    this.name = name;
    this.end = end;
    // Without a listener, an EPIPE would crash the process with a stack trace.
    stream.on('error', (e) => {
      this.failure ??= e;
    });
  }

  write(chunk: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.failure === null && this.stream.destroyed) this.failure = new Error('stream destroyed');
      if (this.failure !== null) return reject(this.translate(this.failure));
      this.stream.write(chunk, (e) => {
        if (e) this.failure ??= e;
        if (this.failure !== null) reject(this.translate(this.failure));
        else resolve();
      });
    });
  }

  async close(): Promise<void> {
    await this.write(new Uint8Array(0));
    if (this.end)
      await new Promise<void>((resolve, reject) => this.stream.end(() => (this.failure === null ? resolve() : reject(this.translate(this.failure)))));
  }

  async abort(): Promise<void> {
    if (this.end) this.stream.destroy();
  }

  private translate(e: Error): Error {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED' || this.stream.destroyed) return new OutputClosedError();
    return new PostdumpError(diagnostic('OUTPUT_UNWRITABLE', 'error', null, `${this.name}: ${systemReason(e)}`));
  }
}
