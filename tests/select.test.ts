/** The selection stage (src/select.ts): filters, dedupe, sort, limit, fields' enrichment, on posts as the parser hands them. */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toPost, toRawPost, type RawPost } from '../src/record.js';
import { SELECT_ALL, Selection, type SelectOptions } from '../src/select.js';
import { parse, type Post } from '../src/index.js';

const SERIES = parse(readFileSync(new URL('../fixtures/commands/series.txt', import.meta.url)), { source: 'series.txt' }).posts;

function post(fields: Partial<Post>): Post {
  return { title: 'T', author: '苏剑林', date: '2021-01-01', readers: 1, excerpt: 'x', url: null, id: null, source: 's', line: 1, ...fields };
}

/** Runs a selection over posts in batches of `batch`, as the pipeline does, and decodes what comes out. */
function select(posts: readonly Post[], options: Partial<SelectOptions>, batch = 3): Post[] {
  const selection = new Selection({ ...SELECT_ALL, ...options });
  const out: Post[] = [];
  const raws = posts.map(toRawPost);
  for (let i = 0; i < raws.length; i += batch) out.push(...selection.push(raws.slice(i, i + batch)).map(toPost));
  for (const rest of selection.end()) out.push(...rest.map(toPost));
  return out;
}

const titles = (posts: readonly Post[]): string[] => posts.map((p) => p.title);

describe('filters', () => {
  it('--since and --until are inclusive', () => {
    const kept = select(SERIES, { since: '2022-01-18', until: '2022-06-13' });
    expect(kept.map((p) => p.date)).toEqual(['2022-06-13', '2022-01-18', '2022-01-18', '2022-06-13']);
  });

  it('--author ignores case and character width', () => {
    expect(titles(select(SERIES, { author: 'jianlin su' }))).toEqual(['Steepest Descent on Manifolds: 5. Muon on the Stiefel Manifold']);
    expect(titles(select(SERIES, { author: 'ＪＩＡＮＬＩＮ　ＳＵ' }))).toHaveLength(1);
    expect(select(SERIES, { author: '苏剑林' })).toHaveLength(9);
    expect(select(SERIES, { author: '苏剑' })).toHaveLength(0);
  });

  it('--min-readers keeps counts at or above N and drops unknown counts', () => {
    const posts = [post({ readers: 10 }), post({ readers: 9 }), post({ readers: null }), post({ readers: 11 })];
    expect(select(posts, { minReaders: 10 }).map((p) => p.readers)).toEqual([10, 11]);
    expect(select(posts, { minReaders: 0 }).map((p) => p.readers)).toEqual([10, 9, 11]);
  });

  it('--grep finds plain text in the title or the excerpt, case-sensitively, with no regex meaning', () => {
    expect(titles(select(SERIES, { grep: 'Attention' }))).toEqual(['多任务学习漫谈(十二):虚构的第十二篇']);
    expect(select(SERIES, { grep: 'attention' })).toHaveLength(0);
    expect(titles(select(SERIES, { grep: 'DDPM = 拆' }))).toHaveLength(3);
    const posts = [post({ title: 'a', excerpt: 'price: $x$ (1+1)' }), post({ title: 'b', excerpt: 'x' })];
    expect(titles(select(posts, { grep: '(1+1)' }))).toEqual(['a']);
    expect(titles(select(posts, { grep: '.' }))).toEqual([]);
  });

  it('--series compares names like --author, and computes series/part', () => {
    const kept = select(SERIES, { series: '生成扩散模型漫谈' });
    expect(kept.map((p) => [p.series, p.part, p.readers])).toEqual([
      ['生成扩散模型漫谈', 1, 379908],
      ['生成扩散模型漫谈', 2, 214572],
      ['生成扩散模型漫谈', 1, 380512],
    ]);
    expect(select(SERIES, { series: 'steepest descent on manifolds' })).toHaveLength(1);
    expect(select(SERIES, { series: '生成扩散模型' })).toHaveLength(0);
  });

  it('series and part are computed only when withSeries or --series asks for them, not by the fields', () => {
    expect(select(SERIES, {}).every((p) => !('series' in p))).toBe(true);
    expect(select(SERIES, { fields: ['title', 'part'] }).every((p) => !('series' in p))).toBe(true);
    expect(select(SERIES, { withSeries: true }).map((p) => p.part)).toEqual([1, 2, 3, 10, 1, 12, 5, null, 1, 1]);
  });

  it('filters combine (all must hold)', () => {
    expect(titles(select(SERIES, { since: '2022-01-01', minReaders: 100000, author: '苏剑林' }))).toEqual([
      '生成扩散模型漫谈(一):DDPM = 拆楼 + 建楼',
      '生成扩散模型漫谈（二）：DDPM = 自回归式VAE',
      '多任务学习漫谈(一):以损失之名',
      '生成扩散模型漫谈(一):DDPM = 拆楼 + 建楼',
    ]);
  });
});

describe('--dedupe', () => {
  it('keeps one of posts with the same title and date: the copy with the most readers (the newest scrape), in the place of the first', () => {
    const kept = select(SERIES, { dedupe: true });
    expect(kept).toHaveLength(9);
    expect(kept.filter((p) => p.title.startsWith('生成扩散模型漫谈(一)')).map((p) => p.readers)).toEqual([380512]);
    const firstAt = SERIES.findIndex((p) => p.title.startsWith('生成扩散模型漫谈(一)'));
    const before = SERIES.slice(0, firstAt).filter((p, i, all) => all.findIndex((q) => q.title === p.title && q.date === p.date) === i).length;
    expect(kept[before]?.readers).toBe(380512);
  });

  it("an article page's copy (categories, tags, the whole body) wins over a listing's, whatever the reader counts; equal copies keep the first", () => {
    const posts = [
      post({ id: 1, title: 'A', readers: 10, excerpt: 'listing excerpt', line: 1 }),
      post({ id: 2, title: 'B', line: 2 }),
      post({ id: 1, title: 'A', readers: 5, excerpt: 'the whole body', categories: ['c'], tags: [], line: 3 }),
      post({ id: 1, title: 'A', readers: 99, excerpt: 'another listing', line: 4 }),
      post({ id: 2, title: 'B', line: 5 }),
    ];
    expect(select(posts, { dedupe: true }).map((p) => [p.id, p.line])).toEqual([
      [1, 3],
      [2, 2],
    ]);
  });

  it('counts the posts seen more than once and their copies, with or without dedupe', () => {
    const posts = [post({ id: 1 }), post({ id: 2, title: 'B' }), post({ id: 1 }), post({ id: 1 }), post({ id: 3, title: 'C' }), post({ id: 3, title: 'C' })];
    for (const dedupe of [false, true]) {
      const selection = new Selection({ ...SELECT_ALL, dedupe, countDuplicates: true });
      const kept = [...selection.push(posts.map(toRawPost)), ...[...selection.end()].flat()];
      expect(kept).toHaveLength(dedupe ? 3 : 6);
      expect(selection.duplicates()).toEqual({ posts: 2, copies: 5 });
    }
  });

  it('normalises titles (case, width, white space) but not dates', () => {
    const posts = [post({ title: 'Seq2Seq  漫谈（一）' }), post({ title: 'seq2seq 漫谈(一)' }), post({ title: 'seq2seq 漫谈(一)', date: '2021-01-02' })];
    expect(select(posts, { dedupe: true }).map((p) => [p.title, p.date])).toEqual([
      ['Seq2Seq  漫谈（一）', '2021-01-01'],
      ['seq2seq 漫谈(一)', '2021-01-02'],
    ]);
  });

  it('uses the archive id when both posts have one: same id is one post, different ids are two', () => {
    const posts = [post({ id: 8130, title: 'A' }), post({ id: 8130, title: 'A (edited title)' }), post({ id: 9000, title: 'A' })];
    expect(select(posts, { dedupe: true }).map((p) => p.id)).toEqual([8130, 9000]);
  });

  it('falls back to title + date when either side lacks an id (a text dump beside a saved page)', () => {
    const posts = [post({ title: 'A', id: null }), post({ title: 'A', id: 8130 }), post({ title: 'B', id: 1 }), post({ title: 'B', id: null })];
    expect(select(posts, { dedupe: true }).map((p) => [p.title, p.id])).toEqual([
      ['A', null],
      ['B', 1],
    ]);
  });
});

describe('--sort, --reverse, --limit', () => {
  it('sorts ascending by date, readers or title; --reverse descends; ties keep input order either way', () => {
    const posts = [
      post({ title: 'b', date: '2021-02-01', readers: 5 }),
      post({ title: 'a', date: '2021-01-01', readers: 5 }),
      post({ title: 'c', date: '2021-02-01', readers: null }),
    ];
    expect(titles(select(posts, { sort: 'date' }))).toEqual(['a', 'b', 'c']);
    expect(titles(select(posts, { sort: 'date', reverse: true }))).toEqual(['b', 'c', 'a']);
    expect(titles(select(posts, { sort: 'readers' }))).toEqual(['c', 'b', 'a']);
    expect(titles(select(posts, { sort: 'readers', reverse: true }))).toEqual(['b', 'a', 'c']);
    expect(titles(select(posts, { sort: 'title' }))).toEqual(['a', 'b', 'c']);
  });

  it('--limit streams without a sort: the first N pass, batch by batch', () => {
    const selection = new Selection({ ...SELECT_ALL, limit: 4 });
    const raws = SERIES.map(toRawPost);
    expect(selection.push(raws.slice(0, 3))).toHaveLength(3);
    expect(selection.push(raws.slice(3, 6))).toHaveLength(1);
    expect(selection.push(raws.slice(6))).toHaveLength(0);
    expect([...selection.end()]).toEqual([]);
  });

  it('--limit 0 keeps nothing', () => {
    expect(select(SERIES, { limit: 0 })).toEqual([]);
    expect(select(SERIES, { limit: 0, sort: 'date' })).toEqual([]);
  });

  it('a sort hands nothing on before the end, and keeps its own copy of each excerpt (the batch is borrowed)', () => {
    const selection = new Selection({ ...SELECT_ALL, sort: 'title' });
    const raws: RawPost[] = SERIES.map(toRawPost);
    expect(selection.push(raws)).toEqual([]);
    // The parser reuses a batch's bytes once it reads on: scribble over them.
    for (const raw of raws) raw.excerptUtf8.fill(0x21);
    expect(
      [...selection.end()]
        .flat()
        .map((p) => toPost(p).excerpt)
        .sort(),
    ).toEqual(SERIES.map((p) => p.excerpt).sort());
  });

  it('property: sort + limit (memory trimmed as it goes) equals a full stable sort cut to the limit, however batched', () => {
    const arb = fc.record({
      posts: fc.array(
        fc.record({
          date: fc.constantFrom('2021-01-01', '2021-01-02', '2022-05-05'),
          readers: fc.option(fc.integer({ min: 0, max: 5 })),
          title: fc.constantFrom('a', 'b', 'c', 'B'),
        }),
        { maxLength: 3000 },
      ),
      key: fc.constantFrom('date' as const, 'readers' as const, 'title' as const),
      reverse: fc.boolean(),
      limit: fc.integer({ min: 0, max: 40 }),
      batch: fc.integer({ min: 1, max: 500 }),
    });
    fc.assert(
      fc.property(arb, ({ posts, key, reverse, limit, batch }) => {
        const all = posts.map((p, i) => post({ ...p, line: i + 1 }));
        const value = (p: Post): string | number => (key === 'readers' ? (p.readers ?? -1) : p[key]);
        const expected = [...all].sort((a, b) => {
          const [x, y] = reverse ? [value(b), value(a)] : [value(a), value(b)];
          return x < y ? -1 : x > y ? 1 : 0;
        });
        const got = select(all, { sort: key, reverse, limit }, batch);
        expect(got.map((p) => p.line)).toEqual(expected.slice(0, limit).map((p) => p.line));
      }),
      { numRuns: 60, seed: 11 },
    );
  });

  it('property: --grep on the excerpt bytes agrees with String.includes on the decoded text', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'é', '中', '😀', '$', ' ', '\n', '\\'), maxLength: 30 });
    fc.assert(
      fc.property(
        text,
        text.filter((s) => s.trim() !== ''),
        (excerpt, needle) => {
          const kept = select([post({ title: '-', excerpt })], { grep: needle });
          expect(kept.length === 1).toBe(excerpt.includes(needle));
        },
      ),
      { numRuns: 500, seed: 3 },
    );
  });
});

it('no selection: each batch passes as it is; a streaming filter keeps the batch’s own bytes (no copy)', () => {
  const batch = [toRawPost(post({ excerpt: 'abc' }))];
  expect(new Selection({ ...SELECT_ALL, fields: ['title', 'excerpt'] }).push(batch)).toBe(batch);
  const [kept] = new Selection({ ...SELECT_ALL, grep: 'b' }).push(batch);
  expect(kept?.excerptUtf8).toBe(batch[0]?.excerptUtf8);
});
