import type { Writable } from 'node:stream';
import { OutputClosedError, PostdumpError, systemReason } from '../errors.js';
import { diagnostic } from '../diagnostics.js';
import type { Sink } from './sink.js';

/**
 * Writes to a stream (standard output), waiting for `drain` when the reader is slow. A reader that
 * goes away (EPIPE) turns into `OutputClosedError`, which ends the run quietly; any other write
 * error (a full disk) is a one-line error.
 */
export class StreamSink implements Sink {
  private readonly stream: Writable;
  private failure: Error | null = null;

  constructor(stream: Writable) {
    this.stream = stream;
    stream.on('error', (e) => {
      this.failure ??= e;
    });
  }

  async write(chunk: Uint8Array): Promise<void> {
    this.check();
    if (!this.stream.write(chunk)) await this.settled('drain');
    this.check();
  }

  async close(): Promise<void> {
    this.check();
    // An empty write's callback runs once everything before it has been handed to the system.
    await new Promise<void>((resolve) => this.stream.write(new Uint8Array(0), () => resolve()));
    this.check();
  }

  async abort(): Promise<void> {}

  /** Resolves on `event`, or as soon as the stream fails or closes instead. */
  private settled(event: string): Promise<void> {
    const s = this.stream;
    return new Promise((resolve) => {
      const done = (): void => {
        s.off(event, done).off('error', done).off('close', done);
        resolve();
      };
      s.once(event, done).once('error', done).once('close', done);
    });
  }

  private check(): void {
    const e = this.failure ?? (this.stream.destroyed ? new Error('stream closed') : null);
    if (e === null) return;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED' || e.message === 'stream closed') throw new OutputClosedError();
    throw new PostdumpError(diagnostic('OUTPUT_UNWRITABLE', 'error', null, `standard output: ${systemReason(e)}`));
  }
}
