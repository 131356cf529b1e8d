/** Where formatted bytes go: standard output or an atomically written file. */
export interface Sink {
  /** Resolves once the bytes are accepted (backpressure: a slow reader makes us wait). */
  write(chunk: Uint8Array): Promise<void>;
  /** Everything is written: flush it and make it visible. */
  close(): Promise<void>;
  /** The run failed: leave no partial output behind where that is possible. */
  abort(): Promise<void>;
}
