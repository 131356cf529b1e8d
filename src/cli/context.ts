import type { Writable } from 'node:stream';
import type { ByteStream } from '../output/stream.js';
import type { Palette } from './color.js';
import type { Reporter, Verbosity } from './report.js';

/** What a command needs from the process, handed in by the CLI's entry point. */
export interface CliContext {
  io: { stdin: AsyncIterable<Buffer> & { readonly isTTY?: boolean }; stdout: ByteStream };
  /** Standard error, for convert's progress bar (drawn only when it is a terminal). */
  stderr: Writable & { isTTY?: boolean; columns?: number };
  /** Colour for what a command prints on stdout; off when stdout is not a terminal or NO_COLOR is set. */
  stdoutColor: Palette;
  reporter(verbosity: Verbosity, strict: boolean): Reporter;
  /** Marks the run failed (exit 1) when `failed`; the exit status is set in one place. */
  fail(failed: boolean): void;
}
