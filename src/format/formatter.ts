import type { RawPost } from '../record.js';
import type { OutputBuffer } from './output-buffer.js';

/** A streaming writer of one output format: `start`, then batches of records, then `finish`. */
export interface Formatter {
  start(out: OutputBuffer): void;
  write(posts: readonly RawPost[], out: OutputBuffer): void;
  finish(out: OutputBuffer): void;
}
