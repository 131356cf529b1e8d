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
/** The end hands the posts on in batches of at most this many posts or (about) this many excerpt bytes. */
const BATCH_POSTS = 4096;
const BATCH_BYTES = 1 << 20;
/** What a held post costs on the heap beside its strings (the record object, its excerpt view), measured. */
const POST_BYTES = 280;

/**
 * The posts a sort must hold, compactly: each post's excerpt copied into large shared slabs (one
 * small buffer per post cost about half as much again as the bytes), sorted in runs as they come,
 * merged in order at the end. Stable: posts that compare equal keep their input order.
 */
export class Sorter {
  private readonly compare: Compare;
  private readonly limit: number | null;
  private readonly budget: MemoryBudget;
  private readonly runPosts: number;
  private arena: ExcerptArena;
  /** Sorted runs, in input order: every post of a run came before those of the next. */
  private runs: RawPost[][] = [];
  private current: RawPost[] = [];
  private held = 0;
  private heapBytes = 0;

  constructor(compare: Compare, options: SorterOptions) {
    this.compare = compare;
    this.limit = options.limit;
    this.budget = options.budget;
    this.runPosts = options.runPosts ?? RUN_POSTS;
    this.arena = new ExcerptArena(options.budget);
  }

  /** Keeps a post: its excerpt is copied (the caller's bytes are borrowed). */
  add(post: RawPost): void {
    const bytes = heapBytesOf(post);
    this.budget.charge('--sort', bytes);
    this.heapBytes += bytes;
    this.current.push({ ...post, excerptUtf8: this.arena.copy(post.excerptUtf8) });
    this.held++;
    if (this.current.length >= this.runPosts) this.closeRun();
  }

  /** Every post kept, in order, in batches; the sorter is empty after. */
  *batches(): Generator<RawPost[]> {
    this.closeRun();
    const merged = merge(this.runs, this.compare);
    this.runs = [];
    let left = this.limit ?? Number.POSITIVE_INFINITY;
    let batch: RawPost[] = [];
    let bytes = 0;
    for (const post of merged) {
      if (left-- <= 0) break;
      batch.push(post);
      bytes += post.excerptUtf8.byteLength;
      if (batch.length >= BATCH_POSTS || bytes >= BATCH_BYTES) {
        yield batch;
        batch = [];
        bytes = 0;
      }
    }
    if (batch.length > 0) yield batch;
  }

  private closeRun(): void {
    if (this.current.length === 0) return;
    const run = this.current.sort(this.compare);
    // Posts past the limit in a run can never be among the first `limit` of all.
    if (this.limit !== null && run.length > this.limit) run.length = this.limit;
    this.runs.push(run);
    this.current = [];
    if (this.limit !== null && this.held > 2 * this.limit + this.runPosts) this.keepOnlyLimit(this.limit);
  }

  /** With a limit, memory stays bounded: now and then the runs become one run of the first `limit`, in a fresh arena. */
  private keepOnlyLimit(limit: number): void {
    const old = this.arena;
    this.arena = new ExcerptArena(this.budget);
    const kept: RawPost[] = [];
    for (const post of merge(this.runs, this.compare)) {
      if (kept.length >= limit) break;
      kept.push({ ...post, excerptUtf8: this.arena.copy(post.excerptUtf8) });
    }
    old.release();
    const bytes = kept.reduce((n, p) => n + heapBytesOf(p), 0);
    this.budget.release(this.heapBytes - bytes);
    this.heapBytes = bytes;
    this.runs = [kept];
    this.held = kept.length;
  }
}

function heapBytesOf(post: RawPost): number {
  // Two bytes a character at most; the source is one string shared by all the posts of an input.
  const text = post.title.length + post.author.length + post.date.length + (post.url?.length ?? 0) + (post.series?.length ?? 0);
  const list = (names: readonly string[] = []): number => names.reduce((n, name) => n + 32 + 2 * name.length, 0);
  return POST_BYTES + 2 * text + list(post.categories) + list(post.tags);
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

/** Slabs of this size hold the excerpts, one after the other (a larger excerpt gets a slab of its own). */
const SLAB_BYTES = 8 << 20;

/** Excerpts copied into large shared buffers: each post holds a view, not a buffer of its own. */
class ExcerptArena {
  private readonly budget: MemoryBudget;
  private slab: Uint8Array = new Uint8Array(0);
  private used = 0;
  private total = 0;

  constructor(budget: MemoryBudget) {
    this.budget = budget;
  }

  copy(bytes: Uint8Array): Uint8Array {
    if (bytes.byteLength > this.slab.byteLength - this.used) {
      const size = Math.max(SLAB_BYTES, bytes.byteLength);
      this.slab = this.budget.allocate('--sort', size);
      this.total += size;
      this.used = 0;
    }
    const view = this.slab.subarray(this.used, this.used + bytes.byteLength);
    view.set(bytes);
    this.used += bytes.byteLength;
    return view;
  }

  /** Its slabs are no longer used (they go when the last view into them does). */
  release(): void {
    this.budget.releaseBuffers(this.total);
    this.total = 0;
  }
}
