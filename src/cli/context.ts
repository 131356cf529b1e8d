import type { Readable, Writable } from 'node:stream';
import type { Reporter, Verbosity } from './report.js';

/** What a command needs from the process, handed in by the CLI's entry point. */
export interface CliContext {
  io: { stdin: Readable & { isTTY?: boolean }; stdout: Writable };
  reporter(verbosity: Verbosity, strict: boolean): Reporter;
  /** Marks the run failed (exit 1) when `failed`; the exit status is set in one place. */
  fail(failed: boolean): void;
}
