import { Buffer } from 'node:buffer';
import { HeldPosts, inBatches } from './held-posts.js';
import { MemoryBudget, UNLIMITED } from './memory.js';
import { seriesOf } from './parse/series.js';
import type { RawPost } from './record.js';
import { sortedBatches, Sorter } from './sort.js';
import type { PostField } from './types.js';
import type { BorrowedBatch } from './borrowed.js';

export type SortKey = 'date' | 'readers' | 'title';
export const SORT_KEYS: readonly SortKey[] = ['date', 'readers', 'title'];

/** Which posts a run keeps, in which order, with which fields: normalized once from the flags. */
export interface SelectOptions {
  /** The fields the output shows, in order. */
  fields: readonly PostField[];
  /** Compute every post's `series` and `part` from its title (for an output that shows them, or counts series). */
  withSeries: boolean;
  /** Earliest date kept, `YYYY-MM-DD`, inclusive. */
  since: string | null;
  /** Latest date kept, inclusive. */
  until: string | null;
  /** Author name, compared without regard to case or character width. */
  author: string | null;
  /** Lowest reader count kept; a post without a count is dropped. */
  minReaders: number | null;
  /** Plain text that the title or the excerpt must contain (case-sensitive). */
  grep: string | null;
  /** Series name, compared like `author`. */
  series: string | null;
  sort: SortKey | null;
  /** Descending instead of ascending (ties keep their input order). */
  reverse: boolean;
  /** At most this many posts. */
  limit: number | null;
  /**
   * One post per identity (archive id when known, else title + date): the most complete copy (an
   * article page's over a listing's excerpt, then the highest reader count, then the longest
   * excerpt), in the place of the first one seen. Copies are held until the inputs end.
   */
  dedupe: boolean;
  /** Count the posts seen more than once, for {@link Selection.duplicates} (dedupe counts them too). */
  countDuplicates?: boolean;
}

/** Every post, in input order, with the record's own fields. */
export const SELECT_ALL: SelectOptions = {
  fields: [],
  withSeries: false,
  since: null,
  until: null,
  author: null,
  minReaders: null,
  grep: null,
  series: null,
  sort: null,
  reverse: false,
  limit: null,
  dedupe: false,
};

/**
 * The selection stage, between parsing and formatting: `push` each batch, then `end`. Filters and
 * limit stream (a batch's survivors come straight back, borrowed like the batch); a sort keeps
 * copies of the posts until `end` (only the best `limit` of them when there is a limit), and so does
 * dedupe, one copy per post (the best so far), since a better copy may come last; `end` hands them
 * on in batches. What a sort and dedupe hold is charged to `budget`.
 */
export class Selection {
  private readonly options: SelectOptions;
  private readonly enrich: boolean;
  private readonly grep: { text: string; utf8: Buffer } | null;
  private readonly author: string | null;
  private readonly series: string | null;
  private readonly seen: Identities | null;
  /** With dedupe: the best copy of each post so far, in the order of first appearance, and what holds them. */
  private readonly best: RawPost[] = [];
  private readonly held: HeldPosts | null;
  /** Copies seen of each post seen more than once, by the index of its first copy. */
  private readonly copies = new Map<number, number>();
  private readonly compare: ((a: RawPost, b: RawPost) => number) | null;
  /** Without dedupe, a sort's posts. */
  private readonly sorter: Sorter | null;
  /** Nothing to do: every batch passes as it is (`parse -f jsonl` pays nothing). */
  private readonly everything: boolean;
  private passed = 0;

  constructor(options: SelectOptions, budget = new MemoryBudget(UNLIMITED)) {
    this.options = options;
    this.enrich = options.withSeries || options.series !== null;
    this.grep = options.grep === null ? null : { text: options.grep, utf8: Buffer.from(options.grep, 'utf8') };
    this.author = options.author === null ? null : fold(options.author);
    this.series = options.series === null ? null : fold(options.series);
    this.seen = options.dedupe || options.countDuplicates === true ? new Identities(options.dedupe ? '--dedupe' : 'counting duplicates', budget) : null;
    this.held = options.dedupe ? new HeldPosts('--dedupe', budget) : null;
    this.compare = options.sort === null ? null : comparator(options.sort, options.reverse);
    this.sorter = this.compare === null || options.dedupe ? null : new Sorter(this.compare, { limit: options.limit, budget });
    const o = options;
    this.everything =
      !this.enrich &&
      this.seen === null &&
      o.sort === null &&
      o.limit === null &&
      [o.since, o.until, o.author, o.minReaders, o.grep, o.series].every((v) => v === null);
  }

  /** The posts of a batch that are kept and can be written now (none while sorting). */
  push(batch: BorrowedBatch): BorrowedBatch {
    if (this.everything) return batch;
    const kept: RawPost[] = [];
    const { limit } = this.options;
    const { dedupe } = this.options;
    for (const raw of batch) {
      if (this.compare === null && !dedupe && limit !== null && this.passed >= limit) break;
      const post = this.enrich ? withSeries(raw) : raw;
      if (!this.matches(post)) continue;
      if (this.seen !== null) {
        // Without a sort, only the first `limit` posts can be written: later ones need not be remembered.
        const full = dedupe && this.compare === null && limit !== null && this.best.length >= limit;
        const first = this.seen.add(post, full ? -1 : this.passed);
        if (first !== -1) this.copies.set(first, (this.copies.get(first) ?? 1) + 1);
        if (this.held !== null) {
          if (first !== -1) this.replaceIfBetter(first, post);
          else if (!full) {
            this.passed++;
            this.best.push(this.held.keep(post));
          }
          continue;
        }
      }
      this.passed++;
      if (this.sorter === null) kept.push(post);
      else this.sorter.add(post);
    }
    return kept;
  }

  /**
   * What is left at the end, in batches (each valid until the next is asked for; an empty one is a
   * pause in a long sort): the sorted posts, if sorting; with dedupe, the best copy of each.
   */
  end(): Iterable<RawPost[]> {
    const { limit } = this.options;
    if (this.held !== null) return this.compare === null ? inBatches(this.best, limit) : sortedBatches(this.best, this.compare, limit);
    return this.sorter === null ? [] : this.sorter.batches();
  }

  /** Posts seen more than once, and how many copies of them there were (with `dedupe` or `countDuplicates`). */
  duplicates(): { posts: number; copies: number } {
    let copies = 0;
    for (const n of this.copies.values()) copies += n;
    return { posts: this.copies.size, copies };
  }

  private matches(post: RawPost): boolean {
    const o = this.options;
    if (o.since !== null && post.date < o.since) return false;
    if (o.until !== null && post.date > o.until) return false;
    if (o.minReaders !== null && (post.readers === null || post.readers < o.minReaders)) return false;
    if (this.author !== null && fold(post.author) !== this.author) return false;
    if (this.series !== null && fold(post.series ?? '') !== this.series) return false;
    if (this.grep !== null && !post.title.includes(this.grep.text) && !contains(post.excerptUtf8, this.grep.utf8)) return false;
    return true;
  }

  /** A later copy of the post `first` takes its place when it is more complete; the held copies are compacted now and then. */
  private replaceIfBetter(first: number, post: RawPost): void {
    const held = this.held as HeldPosts;
    const old = this.best[first] as RawPost;
    if (!moreComplete(post, old)) return;
    held.drop(old);
    this.best[first] = held.keep(post);
    if (held.wasteful) held.compact(this.best);
  }
}

/**
 * Whether a copy of a post is more complete than another: an article page's record (its whole body,
 * categories and tags) over a listing's excerpt, then the higher reader count (the newer scrape),
 * then the longer excerpt. Equal copies keep the first.
 */
function moreComplete(a: RawPost, b: RawPost): boolean {
  const article = (p: RawPost): number => (p.categories !== undefined || p.tags !== undefined ? 1 : 0);
  if (article(a) !== article(b)) return article(a) > article(b);
  if ((a.readers ?? -1) !== (b.readers ?? -1)) return (a.readers ?? -1) > (b.readers ?? -1);
  return a.excerptUtf8.byteLength > b.excerptUtf8.byteLength;
}

function withSeries(post: RawPost): RawPost {
  const found = seriesOf(post.title);
  return { ...post, series: found?.series ?? null, part: found?.part ?? null };
}

/** UTF-8 is self-synchronizing: a byte match of valid UTF-8 text is a match of whole characters. */
function contains(haystack: Uint8Array, needle: Buffer): boolean {
  return Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).indexOf(needle) !== -1;
}

/** Text compared for equality without regard to case, character width or runs of white space. */
function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

function comparator(key: SortKey, reverse: boolean): (a: RawPost, b: RawPost) => number {
  const ascending = (a: RawPost, b: RawPost): number => {
    switch (key) {
      case 'date':
        return compareText(a.date, b.date);
      case 'title':
        return compareText(a.title, b.title);
      case 'readers':
        // An unknown count sorts below every known one.
        return (a.readers ?? -1) - (b.readers ?? -1);
    }
  };
  return reverse ? (a, b) => ascending(b, a) : ascending;
}

/** Code-unit order: the same on every machine, whatever its locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Which posts were seen, each with the number of its first copy. A post's identity is its archive
 * id when it has one; where either side lacks an id (a text dump beside a saved page), its
 * normalised title and date. The reader count is never part of it: it grows between two scrapes of
 * the same post.
 */
class Identities {
  private readonly holder: string;
  private readonly budget: MemoryBudget;
  private readonly ids = new Map<number, number>();
  /** Title + date of posts with an id, and of posts without one. */
  private readonly withId = new Map<string, number>();
  private readonly withoutId = new Map<string, number>();

  /** What it holds is charged to `budget` in the name of `holder`. */
  constructor(holder: string, budget: MemoryBudget) {
    this.holder = holder;
    this.budget = budget;
  }

  /** The number of the post's first copy, if it was seen before; else -1, and the post is remembered as `index` (unless -1). */
  add(post: RawPost, index: number): number {
    const titleDate = `${fold(post.title)}\u0000${post.date}`;
    if (post.id !== null) {
      const first = this.ids.get(post.id) ?? this.withoutId.get(titleDate);
      if (first !== undefined) return first;
      if (index === -1) return -1;
      this.ids.set(post.id, index);
      this.budget.charge(this.holder, KEY_BYTES);
      // The first of several posts with this title and date (different ids) is the one a post without an id is a copy of.
      if (!this.withId.has(titleDate)) {
        this.withId.set(titleDate, index);
        this.budget.charge(this.holder, KEY_BYTES + 2 * titleDate.length);
      }
      return -1;
    }
    const first = this.withoutId.get(titleDate) ?? this.withId.get(titleDate);
    if (first !== undefined) return first;
    if (index !== -1) {
      this.withoutId.set(titleDate, index);
      this.budget.charge(this.holder, KEY_BYTES + 2 * titleDate.length);
    }
    return -1;
  }
}

/**
 * What a key costs in a map beside its characters (the string's header, the map's entry and its
 * share of the table), rounded up: measured, about 60 bytes for a string key and 30 for a number.
 */
const KEY_BYTES = 80;
