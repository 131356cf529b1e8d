import { OutputClosedError, PostdumpError, systemReason } from '../errors.js';
import { diagnostic } from '../diagnostics.js';
import type { Sink } from './sink.js';

/** What a `StreamSink` needs of its stream: a Node `Writable`, or standard output written by `writeSync`. */
export interface ByteStream {
  readonly destroyed: boolean;
  write(chunk: Uint8Array, callback: (error?: Error | null) => void): unknown;
  end(callback: (error?: Error | null) => void): unknown;
  destroy(): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * Writes to a stream: standard output, or a device or FIFO named as an output. Each write resolves
 * once the stream has handed the bytes to the system, so a slow reader makes us wait instead of
 * buffering. A reader that goes away (EPIPE) becomes `OutputClosedError`, which ends the run
 * quietly; any other write error (a full disk) is a one-line error.
 */
export class StreamSink implements Sink {
  readonly atomic = false;
  private readonly stream: ByteStream;
  private readonly name: string;
  private readonly owned: boolean;
  private failure: Error | null = null;

  /**
   * `name` is what messages call the stream. An `owned` stream (a device or FIFO opened for `-o`) is
   * ended on close and destroyed on abort; standard output is left open for the process to close.
   */
  constructor(stream: ByteStream, name = 'standard output', { owned = false } = {}) {
    this.stream = stream;
    this.name = name;
    this.owned = owned;
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
    if (!this.owned) return this.write(new Uint8Array(0));
    await new Promise<void>((resolve, reject) =>
      this.stream.end((e?: Error | null) => {
        const failure = this.failure ?? e ?? null;
        if (failure === null) resolve();
        else reject(this.translate(failure));
      }),
    );
  }

  async abort(): Promise<void> {
    if (this.owned) this.stream.destroy();
  }

  private translate(e: Error): Error {
    const code = (e as NodeJS.ErrnoException).code;
    // Standard output may be destroyed without an EPIPE when its reader goes; a stream of our own is
    // closed only by EPIPE, any other failure (a full disk, a device error) is one.
    const closed = code === 'EPIPE' || (!this.owned && (code === 'ERR_STREAM_DESTROYED' || this.stream.destroyed));
    if (closed) return new OutputClosedError();
    return new PostdumpError(diagnostic('OUTPUT_UNWRITABLE', 'error', null, { path: this.name, reason: systemReason(e) }));
  }
}
