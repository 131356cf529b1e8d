import { Buffer } from 'node:buffer';
import { MemoryBudget, UNLIMITED } from './memory.js';
import { seriesOf } from './parse/series.js';
import type { RawPost } from './record.js';
import { Sorter } from './sort.js';
import type { PostField } from './types.js';

export type SortKey = 'date' | 'readers' | 'title';
export const SORT_KEYS: readonly SortKey[] = ['date', 'readers', 'title'];

/** Which posts a run keeps, in which order, with which fields: normalized once from the flags. */
export interface SelectOptions {
  /** The fields the output shows, in order; `series` or `part` among them has them computed. */
  fields: readonly PostField[];
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
  /** One post per identity (archive id when known, else title + date): the first one seen. */
  dedupe: boolean;
}

/** Every post, in input order, with the record's own fields. */
export const SELECT_ALL: SelectOptions = {
  fields: [],
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
 * The selection stage, between parsing and formatting: `push` each batch, then `end`. Filters,
 * dedupe and limit stream (a batch's survivors come straight back, borrowed like the batch); a sort
 * keeps copies of the posts until `end` (only the best `limit` of them when there is a limit), which
 * hands them on in batches. What a sort and dedupe hold is charged to `budget`.
 */
export class Selection {
  private readonly options: SelectOptions;
  private readonly enrich: boolean;
  private readonly grep: { text: string; utf8: Buffer } | null;
  private readonly author: string | null;
  private readonly series: string | null;
  private readonly seen: Identities | null;
  private readonly sorter: Sorter | null;
  /** Nothing to do: every batch passes as it is (`parse -f jsonl` pays nothing). */
  private readonly everything: boolean;
  private passed = 0;

  constructor(options: SelectOptions, budget = new MemoryBudget(UNLIMITED)) {
    this.options = options;
    this.enrich = options.series !== null || options.fields.includes('series') || options.fields.includes('part');
    this.grep = options.grep === null ? null : { text: options.grep, utf8: Buffer.from(options.grep, 'utf8') };
    this.author = options.author === null ? null : fold(options.author);
    this.series = options.series === null ? null : fold(options.series);
    this.seen = options.dedupe ? new Identities(budget) : null;
    this.sorter = options.sort === null ? null : new Sorter(comparator(options.sort, options.reverse), { limit: options.limit, budget });
    const o = options;
    this.everything =
      !this.enrich && !o.dedupe && o.sort === null && o.limit === null && [o.since, o.until, o.author, o.minReaders, o.grep, o.series].every((v) => v === null);
  }

  /** The posts of a batch that are kept and can be written now (none while sorting). */
  push(batch: readonly RawPost[]): readonly RawPost[] {
    if (this.everything) return batch;
    const kept: RawPost[] = [];
    const { limit } = this.options;
    for (const raw of batch) {
      if (this.sorter === null && limit !== null && this.passed >= limit) break;
      const post = this.enrich ? withSeries(raw) : raw;
      if (!this.matches(post)) continue;
      if (this.seen !== null && !this.seen.add(post)) continue;
      this.passed++;
      if (this.sorter === null) kept.push(post);
      else this.sorter.add(post);
    }
    return kept;
  }

  /** What is left at the end: the sorted posts, if sorting, in batches (each valid until the next is asked for). */
  end(): Iterable<RawPost[]> {
    return this.sorter === null ? [] : this.sorter.batches();
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
 * Which posts were seen. A post's identity is its archive id when it has one; where either side
 * lacks an id (a text dump beside a saved page), its normalised title and date. The reader count is
 * never part of it: it grows between two scrapes of the same post.
 */
class Identities {
  private readonly budget: MemoryBudget;
  private readonly ids = new Set<number>();
  /** Title + date of posts with an id, and of posts without one. */
  private readonly withId = new Set<string>();
  private readonly withoutId = new Set<string>();

  constructor(budget: MemoryBudget) {
    this.budget = budget;
  }

  /** Records the post; false when it was seen before. */
  add(post: RawPost): boolean {
    const titleDate = `${fold(post.title)}\u0000${post.date}`;
    if (post.id !== null) {
      if (this.ids.has(post.id) || this.withoutId.has(titleDate)) return false;
      this.ids.add(post.id);
      this.withId.add(titleDate);
      this.budget.charge('--dedupe', 2 * KEY_BYTES + 2 * titleDate.length);
      return true;
    }
    if (this.withoutId.has(titleDate) || this.withId.has(titleDate)) return false;
    this.withoutId.add(titleDate);
    this.budget.charge('--dedupe', KEY_BYTES + 2 * titleDate.length);
    return true;
  }
}

/** What a key costs in a set beside its characters (the string's header, the set's entry and its share of the table), measured. */
const KEY_BYTES = 80;
