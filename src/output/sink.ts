/** Where formatted bytes go: a stream, or an atomically written file. */
export interface Sink {
  /**
   * Whether the output appears only on `close`: a file does, so a failed run leaves it out; a stream
   * (standard output, a device, a FIFO) has had every write already, so a failed run ends its document.
   */
  readonly atomic: boolean;
  /** Resolves once the bytes are accepted (backpressure: a slow reader makes us wait). */
  write(chunk: Uint8Array): Promise<void>;
  /** Everything is written: flush it and make it visible. */
  close(): Promise<void>;
  /** The run failed: leave no partial output behind where that is possible. */
  abort(): Promise<void>;
}
