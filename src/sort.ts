import { HeldPosts, inBatches } from './held-posts.js';
import type { MemoryBudget } from './memory.js';
import type { RawPost } from './record.js';

export type Compare = (a: RawPost, b: RawPost) => number;

export interface SorterOptions {
  /** Only the first `limit` posts of the order matter (null: all of them). */
  limit: number | null;
  /** Charged with what the sorter holds. */
  budget: MemoryBudget;
  /** Posts sorted at once (a run); the runs are merged at the end. */
  runPosts?: number;
}

/**
 * Runs of this many posts are sorted as they fill, and merged at the end: no stretch of work is
 * longer than one run (a signal is handled between two), where one sort of every post took seconds.
 */
const RUN_POSTS = 16_384;

/**
 * The posts a sort must hold, compactly (see {@link HeldPosts}), sorted in runs as they come, merged
 * in order at the end. Stable: posts that compare equal keep their input order.
 */
export class Sorter {
  private readonly compare: Compare;
  private readonly limit: number | null;
  private readonly runPosts: number;
  private readonly held: HeldPosts;
  /** Sorted runs, in input order: every post of a run came before those of the next. */
  private runs: RawPost[][] = [];
  private current: RawPost[] = [];
  private count = 0;

  constructor(compare: Compare, options: SorterOptions) {
    this.compare = compare;
    this.limit = options.limit;
    this.runPosts = options.runPosts ?? RUN_POSTS;
    this.held = new HeldPosts('--sort', options.budget);
  }

  /** Keeps a post: its excerpt is copied (the caller's bytes are borrowed). */
  add(post: RawPost): void {
    this.current.push(this.held.keep(post));
    this.count++;
    if (this.current.length >= this.runPosts) this.closeRun();
  }

  /** Every post kept, in order, in batches; the sorter is empty after. */
  *batches(): Generator<RawPost[]> {
    this.closeRun();
    const runs = this.runs;
    this.runs = [];
    yield* inBatches(merge(runs, this.compare), this.limit);
  }

  private closeRun(): void {
    if (this.current.length === 0) return;
    const run = this.current.sort(this.compare);
    // Posts past the limit in a run can never be among the first `limit` of all.
    if (this.limit !== null && run.length > this.limit) {
      for (let i = this.limit; i < run.length; i++) this.held.drop(run[i] as RawPost);
      run.length = this.limit;
    }
    this.runs.push(run);
    this.current = [];
    if (this.limit !== null && this.count > 2 * this.limit + this.runPosts) this.keepOnlyLimit(this.limit);
  }

  /** With a limit, memory stays bounded: now and then the runs become one run of the first `limit`, in fresh slabs. */
  private keepOnlyLimit(limit: number): void {
    const kept: RawPost[] = [];
    for (const post of merge(this.runs, this.compare)) {
      if (kept.length >= limit) break;
      kept.push(post);
    }
    this.held.compact(kept);
    this.runs = [kept];
    this.count = kept.length;
  }
}

/**
 * Held posts (not yet in order) in order, in batches, the first `limit` of them: sorted in runs of
 * `runPosts`, with an empty batch after each run (a pause where the caller may let a signal in),
 * then merged.
 */
export function* sortedBatches(posts: readonly RawPost[], compare: Compare, limit: number | null, runPosts = RUN_POSTS): Generator<RawPost[]> {
  const runs: RawPost[][] = [];
  for (let at = 0; at < posts.length; at += runPosts) {
    runs.push(posts.slice(at, at + runPosts).sort(compare));
    yield [];
  }
  yield* inBatches(merge(runs, compare), limit);
}

/** The posts of sorted runs in one order: a run's head against the others' (a binary heap); ties go to the earlier run. */
function* merge(runs: readonly RawPost[][], compare: Compare): Generator<RawPost> {
  if (runs.length === 1) {
    yield* runs[0] as RawPost[];
    return;
  }
  const at = runs.map(() => 0);
  const head = (r: number): RawPost => (runs[r] as RawPost[])[at[r] as number] as RawPost;
  const before = (r: number, s: number): boolean => {
    const c = compare(head(r), head(s));
    return c < 0 || (c === 0 && r < s);
  };
  const heap = runs.flatMap((run, r) => (run.length > 0 ? [r] : []));
  const down = (from: number): void => {
    let i = from;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let best = i;
      if (left < heap.length && before(heap[left] as number, heap[best] as number)) best = left;
      if (right < heap.length && before(heap[right] as number, heap[best] as number)) best = right;
      if (best === i) return;
      [heap[i], heap[best]] = [heap[best] as number, heap[i] as number];
      i = best;
    }
  };
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
  while (heap.length > 0) {
    const r = heap[0] as number;
    yield head(r);
    at[r] = (at[r] as number) + 1;
    if ((at[r] as number) >= (runs[r] as RawPost[]).length) {
      heap[0] = heap[heap.length - 1] as number;
      heap.pop();
    }
    down(0);
  }
}
