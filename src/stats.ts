import { compareText } from './select.js';
import type { BorrowedBatch } from './borrowed.js';

/** What `postdump stats` reports (and prints as JSON with `--json`). */
export interface Stats {
  posts: number;
  /** Earliest and latest date, or null without posts. */
  dates: { first: string; last: string } | null;
  /** By number of posts, most first (ties by name). */
  authors: { name: string; posts: number }[];
  readers: {
    /** Posts that show a reader count. */
    counted: number;
    total: number;
    /** Median of the counts shown (the mean of the middle two for an even number), or null. */
    median: number | null;
    /** The most read posts, most first (ties in input order). */
    top: { title: string; date: string; readers: number; source: string; line: number }[];
  };
  /** Every year from the first to the last, with its number of posts (0 included). */
  years: { year: number; posts: number }[];
  /** Series named in titles, by name, with the parts seen. */
  series: { name: string; posts: number; parts: number[] }[];
}

/** Gathers statistics batch by batch; it keeps one number per post (for the median), not the posts. */
export class StatsCollector {
  private posts = 0;
  private first: string | null = null;
  private last: string | null = null;
  private readonly authors = new Map<string, number>();
  private readonly counts: number[] = [];
  private readonly top: MostRead;
  private readonly years = new Map<number, number>();
  private readonly series = new Map<string, { posts: number; parts: Set<number> }>();

  /** `top`: how many of the most read posts to list. */
  constructor(top: number) {
    this.top = new MostRead(top);
  }

  /** Posts with `series`/`part` computed (see `Selection`). */
  add(posts: BorrowedBatch): void {
    for (const post of posts) {
      this.posts++;
      if (this.first === null || post.date < this.first) this.first = post.date;
      if (this.last === null || post.date > this.last) this.last = post.date;
      this.authors.set(post.author, (this.authors.get(post.author) ?? 0) + 1);
      const year = Number(post.date.slice(0, 4));
      this.years.set(year, (this.years.get(year) ?? 0) + 1);
      if (post.readers !== null) {
        this.counts.push(post.readers);
        this.top.add({ title: post.title, date: post.date, readers: post.readers, source: post.source, line: post.line });
      }
      const series = post.series ?? null;
      if (series !== null) {
        const entry = this.series.get(series) ?? { posts: 0, parts: new Set<number>() };
        entry.posts++;
        if ((post.part ?? null) !== null) entry.parts.add(post.part as number);
        this.series.set(series, entry);
      }
    }
  }

  result(): Stats {
    const counts = Float64Array.from(this.counts).sort();
    const mid = counts.length >> 1;
    const median = counts.length === 0 ? null : counts.length % 2 === 1 ? (counts[mid] as number) : ((counts[mid - 1] as number) + (counts[mid] as number)) / 2;
    const years: Stats['years'] = [];
    if (this.first !== null && this.last !== null) {
      for (let y = Number(this.first.slice(0, 4)); y <= Number(this.last.slice(0, 4)); y++) years.push({ year: y, posts: this.years.get(y) ?? 0 });
    }
    return {
      posts: this.posts,
      dates: this.first !== null && this.last !== null ? { first: this.first, last: this.last } : null,
      authors: [...this.authors].map(([name, posts]) => ({ name, posts })).sort((a, b) => b.posts - a.posts || compareText(a.name, b.name)),
      readers: { counted: counts.length, total: this.counts.reduce((sum, n) => sum + n, 0), median, top: this.top.list() },
      years,
      series: [...this.series]
        .map(([name, { posts, parts }]) => ({ name, posts, parts: [...parts].sort((a, b) => a - b) }))
        .sort((a, b) => compareText(a.name, b.name)),
    };
  }
}

type TopEntry = Stats['readers']['top'][number];
interface Ranked {
  entry: TopEntry;
  /** Input order. */
  order: number;
}

/**
 * The `size` most read posts seen so far, ties in input order: a heap whose root is the entry to drop
 * first (fewest readers, latest among equals), so that each post costs O(log size), whatever `--top`.
 */
class MostRead {
  private readonly size: number;
  private readonly heap: Ranked[] = [];
  private seen = 0;

  constructor(size: number) {
    this.size = size;
  }

  add(entry: TopEntry): void {
    const item: Ranked = { entry, order: this.seen++ };
    const heap = this.heap;
    if (heap.length < this.size) {
      heap.push(item);
      for (let i = heap.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (!this.before(i, parent)) break;
        this.swap(i, parent);
        i = parent;
      }
      return;
    }
    // A later post with as many readers as the root does not displace it.
    const root = heap[0];
    if (root === undefined || entry.readers <= root.entry.readers) return;
    heap[0] = item;
    for (let i = 0; ; ) {
      const left = 2 * i + 1;
      const right = left + 1;
      let first = i;
      if (left < heap.length && this.before(left, first)) first = left;
      if (right < heap.length && this.before(right, first)) first = right;
      if (first === i) break;
      this.swap(i, first);
      i = first;
    }
  }

  /** Most read first, ties in input order. */
  list(): TopEntry[] {
    return [...this.heap].sort((a, b) => b.entry.readers - a.entry.readers || a.order - b.order).map((item) => item.entry);
  }

  /** Whether heap[i] is dropped before heap[j]. */
  private before(i: number, j: number): boolean {
    const a = this.heap[i] as Ranked;
    const b = this.heap[j] as Ranked;
    return a.entry.readers < b.entry.readers || (a.entry.readers === b.entry.readers && a.order > b.order);
  }

  private swap(i: number, j: number): void {
    const t = this.heap[i] as Ranked;
    this.heap[i] = this.heap[j] as Ranked;
    this.heap[j] = t;
  }
}
