import type { MemoryBudget } from './memory.js';
import type { RawPost } from './record.js';

/** The end hands held posts on in batches of at most this many posts or (about) this many excerpt bytes. */
const BATCH_POSTS = 4096;
const BATCH_BYTES = 1 << 20;
/** What a held post costs on the heap beside its strings (the record object, its excerpt view), measured. */
const POST_BYTES = 280;
/** Slabs of this size hold the excerpts, one after the other (a larger excerpt gets a slab of its own). */
const SLAB_BYTES = 8 << 20;

/**
 * Posts held until the inputs end (a sort's, dedupe's best copies), compactly: each post's excerpt
 * copied into large shared slabs (one small buffer per post cost about half as much again as the
 * bytes), what they cost charged to the budget in the holder's name. A copy let go (replaced by a
 * better one, or past a limit) leaves its bytes in a slab until {@link compact} moves the live ones
 * into fresh slabs.
 */
export class HeldPosts {
  private readonly holder: string;
  private readonly budget: MemoryBudget;
  private arena: ExcerptArena;
  private heapBytes = 0;
  /** Excerpt bytes of the copies still held, and of those let go. */
  private liveBytes = 0;
  private deadBytes = 0;

  /** `holder` names the option that holds them (`--sort`, `--dedupe`) when memory runs out. */
  constructor(holder: string, budget: MemoryBudget) {
    this.holder = holder;
    this.budget = budget;
    this.arena = new ExcerptArena(holder, budget);
  }

  /** A copy of `post` to hold: its excerpt copied (the caller's bytes are borrowed). */
  keep(post: RawPost): RawPost {
    const bytes = heapBytesOf(post);
    this.budget.charge(this.holder, bytes);
    this.heapBytes += bytes;
    this.liveBytes += post.excerptUtf8.byteLength;
    return { ...post, excerptUtf8: this.arena.copy(post.excerptUtf8) };
  }

  /** A copy held before is let go. */
  drop(post: RawPost): void {
    const bytes = heapBytesOf(post);
    this.budget.release(bytes);
    this.heapBytes -= bytes;
    this.liveBytes -= post.excerptUtf8.byteLength;
    this.deadBytes += post.excerptUtf8.byteLength;
  }

  /** Whether the slabs hold more bytes let go than live ones: time to {@link compact} (linear work, amortised). */
  get wasteful(): boolean {
    return this.deadBytes > this.liveBytes + SLAB_BYTES;
  }

  /** Only `posts` are held from now on (in place: each becomes a copy in fresh slabs); the rest are let go. */
  compact(posts: RawPost[]): void {
    const old = this.arena;
    this.arena = new ExcerptArena(this.holder, this.budget);
    let heapBytes = 0;
    let liveBytes = 0;
    for (let i = 0; i < posts.length; i++) {
      const post = posts[i] as RawPost;
      posts[i] = { ...post, excerptUtf8: this.arena.copy(post.excerptUtf8) };
      heapBytes += heapBytesOf(post);
      liveBytes += post.excerptUtf8.byteLength;
    }
    old.release();
    this.budget.release(this.heapBytes - heapBytes);
    this.heapBytes = heapBytes;
    this.liveBytes = liveBytes;
    this.deadBytes = 0;
  }
}

/** Posts in batches for the formatter, the first `limit` of them (null: all). */
export function* inBatches(posts: Iterable<RawPost>, limit: number | null): Generator<RawPost[]> {
  let left = limit ?? Number.POSITIVE_INFINITY;
  let batch: RawPost[] = [];
  let bytes = 0;
  for (const post of posts) {
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

function heapBytesOf(post: RawPost): number {
  // Two bytes a character at most; the source is one string shared by all the posts of an input.
  const text = post.title.length + post.author.length + post.date.length + (post.url?.length ?? 0) + (post.series?.length ?? 0);
  const list = (names: readonly string[] = []): number => names.reduce((n, name) => n + 32 + 2 * name.length, 0);
  return POST_BYTES + 2 * text + list(post.categories) + list(post.tags);
}

/** Excerpts copied into large shared buffers: each post holds a view, not a buffer of its own. */
class ExcerptArena {
  private readonly holder: string;
  private readonly budget: MemoryBudget;
  private slab: Uint8Array = new Uint8Array(0);
  private used = 0;
  private total = 0;

  constructor(holder: string, budget: MemoryBudget) {
    this.holder = holder;
    this.budget = budget;
  }

  copy(bytes: Uint8Array): Uint8Array {
    if (bytes.byteLength > this.slab.byteLength - this.used) {
      const size = Math.max(SLAB_BYTES, bytes.byteLength);
      this.slab = this.budget.allocate(this.holder, size);
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
