import type { RawPost } from './record.js';

/**
 * Posts as the readers hand them on, zero copy: each `excerptUtf8` is a view of memory the parser
 * reuses once it is asked for more (the next `push`, the next batch of an iterator). Use a batch's
 * posts before asking for more, or keep one with {@link own}. (The bench justifies the zero copy: the
 * excerpts are most of a dump's bytes.)
 */
export type BorrowedBatch = readonly RawPost[];

/** A post of a borrowed batch, with an excerpt of its own: safe to keep past the batch. */
export function own(post: RawPost): RawPost {
  return { ...post, excerptUtf8: post.excerptUtf8.slice() };
}

/**
 * A test mode: memory that the parser takes back is overwritten before it is reused, so that a post
 * kept without {@link own} shows garbage (and fails its test) at once, instead of by chance when a
 * later excerpt lands on it. Off in use; the tests' setup turns it on (`tests/helpers/setup.ts`).
 */
export const recycleCheck = { overwrite: false };

/** Not UTF-8 anywhere: a view into overwritten memory decodes as U+FFFD. */
const OVERWRITTEN = 0xff;

/** Called with memory the parser takes back for reuse. */
export function recycled(memory: Uint8Array): void {
  if (recycleCheck.overwrite) memory.fill(OVERWRITTEN);
}
