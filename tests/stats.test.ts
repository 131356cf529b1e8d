/** stats' numbers (src/stats.ts) and their text (src/format/stats.ts). */
import { readFileSync } from 'node:fs';
import { Chalk } from 'chalk';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderStats } from '../src/format/stats.js';
import { toRawPost } from '../src/record.js';
import { SELECT_ALL, Selection } from '../src/select.js';
import { StatsCollector, type Stats } from '../src/stats.js';
import { parse, type Post } from '../src/index.js';

function post(fields: Partial<Post>): Post {
  return { title: 'T', author: '苏剑林', date: '2021-01-01', readers: 1, excerpt: 'x', url: null, id: null, source: 's', line: 1, ...fields };
}

function statsOf(posts: readonly Post[], top = 5): Stats {
  const collector = new StatsCollector(top);
  // As the command does: series computed by the selection stage.
  const selection = new Selection({ ...SELECT_ALL, withSeries: true });
  collector.add(selection.push(posts.map(toRawPost)));
  return collector.result();
}

const series = parse(readFileSync(new URL('../fixtures/commands/series.txt', import.meta.url)), { source: 'fixtures/commands/series.txt' }).posts;

describe('StatsCollector', () => {
  it('median: the middle count, or the mean of the middle two; posts without a count left out', () => {
    expect(statsOf([post({ readers: 3 }), post({ readers: 1 }), post({ readers: 2 })]).readers.median).toBe(2);
    expect(statsOf([post({ readers: 4 }), post({ readers: 1 }), post({ readers: 2 }), post({ readers: null }), post({ readers: 3 })]).readers).toMatchObject({
      median: 2.5,
      counted: 4,
      total: 10,
    });
    expect(statsOf([post({ readers: null })]).readers).toMatchObject({ median: null, counted: 0, total: 0, top: [] });
  });

  it('top N: most read first, ties in input order, N at most', () => {
    const posts = [5, 9, 7, 9, 1].map((readers, i) => post({ readers, title: `p${i}` }));
    expect(statsOf(posts, 3).readers.top.map((t) => t.title)).toEqual(['p1', 'p3', 'p2']);
    expect(statsOf(posts, 10).readers.top.map((t) => t.readers)).toEqual([9, 9, 7, 5, 1]);
  });

  it('property: top N is the first N of all counted posts sorted by readers, ties in input order', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.nat(5)), { maxLength: 60 }), fc.integer({ min: 1, max: 70 }), (counts, top) => {
        const posts = counts.map((readers, i) => post({ readers, title: `p${i}` }));
        const expected = posts.filter((p) => p.readers !== null).sort((a, b) => (b.readers as number) - (a.readers as number));
        expect(statsOf(posts, top).readers.top.map((t) => t.title)).toEqual(expected.slice(0, top).map((p) => p.title));
      }),
    );
  });

  it('many authors and a long top list: no call stack overflow (a spread of 125,000 numbers overflowed it)', () => {
    const many = 130_000;
    const stats = statsOf([post({})]);
    stats.posts = many;
    stats.authors = Array.from({ length: many }, (_, i) => ({ name: `a${i}`, posts: 1 }));
    stats.readers.top = Array.from({ length: many }, (_, i) => ({ title: `p${i}`, date: '2021-01-01', readers: many - i, source: 's', line: i + 1 }));
    const text = renderStats(stats, { color: new Chalk({ level: 0 }), blocks: false, width: 40 });
    expect(text).toContain('  top 130000\n    130,000  2021-01-01  p0\n');
  });

  it('years: every year from the first to the last, empty ones included', () => {
    expect(statsOf([post({ date: '2019-05-01' }), post({ date: '2022-01-01' }), post({ date: '2022-12-31' })]).years).toEqual([
      { year: 2019, posts: 1 },
      { year: 2020, posts: 0 },
      { year: 2021, posts: 0 },
      { year: 2022, posts: 2 },
    ]);
  });

  it('the series fixture: authors by count, series with their distinct parts', () => {
    const stats = statsOf(series);
    expect(stats.posts).toBe(10);
    expect(stats.dates).toEqual({ first: '2019-06-02', last: '2025-03-19' });
    expect(stats.authors).toEqual([
      { name: '苏剑林', posts: 9 },
      { name: 'Jianlin Su', posts: 1 },
    ]);
    expect(stats.series).toEqual([
      { name: 'Steepest Descent on Manifolds', posts: 1, parts: [5] },
      { name: 'Transformer升级之路', posts: 1, parts: [10] },
      { name: '从动力学角度看优化算法', posts: 1, parts: [1] },
      { name: '多任务学习漫谈', posts: 2, parts: [1, 12] },
      { name: '搜出来的文本', posts: 1, parts: [3] },
      { name: '生成扩散模型漫谈', posts: 3, parts: [1, 2] },
    ]);
  });

  it('no posts: zeros and nulls', () => {
    expect(new StatsCollector(5).result()).toEqual({
      posts: 0,
      dates: null,
      authors: [],
      readers: { counted: 0, total: 0, median: null, top: [] },
      years: [],
      series: [],
    });
  });
});

describe('renderStats', () => {
  const stats = statsOf(series);

  it('golden: plain characters (not a terminal)', async () => {
    await expect(renderStats(stats, { color: new Chalk({ level: 0 }), blocks: false, width: 40 })).toMatchFileSnapshot(
      '../fixtures/commands/golden/series.stats.stdout',
    );
  });

  it('golden: block bars in colour (a terminal)', async () => {
    const text = renderStats(stats, { color: new Chalk({ level: 1 }), blocks: true, width: 40 });
    expect(text).toContain('\u001b[36m');
    await expect(text).toMatchFileSnapshot('../fixtures/commands/golden/series.stats.ansi.stdout');
  });

  it('bars are proportional: the busiest year gets the full width, a year with posts at least a mark, an empty year none', () => {
    const text = renderStats(statsOf([post({ date: '2019-01-01' }), ...Array.from({ length: 80 }, () => post({ date: '2021-01-01' }))]), {
      color: new Chalk({ level: 0 }),
      blocks: false,
      width: 40,
    });
    expect(text).toMatch(/^ {2}2021 {2}80 #{40}$/mu);
    expect(text).toMatch(/^ {2}2019 {3}1 #$/mu);
    expect(text).toMatch(/^ {2}2020 {3}0$/mu);
  });

  it('no posts: one line', () => {
    expect(renderStats(new StatsCollector(5).result(), { color: new Chalk({ level: 0 }), blocks: false, width: 40 })).toBe('0 posts\n');
  });
});
