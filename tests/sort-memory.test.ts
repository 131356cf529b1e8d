/**
 * What `--sort` and `--dedupe` hold (issue 16): a sort keeps its posts compactly (excerpts in shared
 * slabs), sorts them in runs and hands them on in batches, so that the output is formatted and
 * written a batch at a time; a run that would pass the memory it may use ends with one line.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Post } from '../src/index.js';
import { MemoryBudget, memoryLimits, UNLIMITED } from '../src/memory.js';
import { toPost, toRawPost, type RawPost } from '../src/record.js';
import { SELECT_ALL, Selection } from '../src/select.js';
import { sortedBatches, Sorter } from '../src/sort.js';
import { expectNoStackTrace, runCli, seedPath, stderrLines } from './helpers/cli.js';
import { postdumpErrorOf } from './helpers/errors.js';
import { temporaryFolders } from './helpers/workspace.js';

const tempDir = temporaryFolders('sort');

function post(fields: Partial<Post>): RawPost {
  return toRawPost({ title: 'T', author: '苏剑林', date: '2021-01-01', readers: 1, excerpt: 'x', url: null, id: null, source: 's', line: 1, ...fields });
}

const byTitle = (a: RawPost, b: RawPost): number => (a.title < b.title ? -1 : a.title > b.title ? 1 : 0);

/** Posts to sort (by title, with ties), the posts of a run, a limit. */
const sortCase = fc.record({
  titles: fc.array(fc.constantFrom('a', 'b', 'c', 'B'), { maxLength: 400 }),
  runPosts: fc.integer({ min: 1, max: 9 }),
  limit: fc.option(fc.integer({ min: 0, max: 30 })),
});

describe('Sorter', () => {
  it('property: runs of any size, merged, equal one stable sort cut to the limit (memory trimmed as it goes)', () => {
    fc.assert(
      fc.property(sortCase, ({ titles, runPosts, limit }) => {
        const posts = titles.map((title, i) => post({ title, line: i + 1, excerpt: `#${i}` }));
        const sorter = new Sorter(byTitle, { limit, budget: new MemoryBudget(UNLIMITED), runPosts });
        for (const p of posts) sorter.add(p);
        const got = [...sorter.batches()].flat().map(toPost);
        const expected = [...posts].sort(byTitle).slice(0, limit ?? undefined);
        expect(got.map((p) => [p.line, p.excerpt])).toEqual(expected.map((p) => [p.line, `#${p.line - 1}`]));
      }),
      { numRuns: 200, seed: 16 },
    );
  });

  it("property: posts held unsorted (dedupe's), sorted in runs with a pause after each and merged, equal one stable sort", () => {
    fc.assert(
      fc.property(sortCase, ({ titles, runPosts, limit }) => {
        const posts = titles.map((title, i) => post({ title, line: i + 1 }));
        const batches = [...sortedBatches(posts, byTitle, limit, runPosts)];
        expect(batches.slice(0, Math.ceil(posts.length / runPosts))).toEqual(Array.from({ length: Math.ceil(posts.length / runPosts) }, () => []));
        const expected = [...posts].sort(byTitle).slice(0, limit ?? undefined);
        expect(batches.flat().map((p) => p.line)).toEqual(expected.map((p) => p.line));
      }),
      { numRuns: 200, seed: 16 },
    );
  });

  it('hands the posts on in batches, and keeps the excerpts in shared slabs, copied from the borrowed batch', () => {
    const sorter = new Sorter(byTitle, { limit: null, budget: new MemoryBudget(UNLIMITED) });
    const posts = Array.from({ length: 10_000 }, (_, i) => post({ title: String(i % 97), excerpt: `正文 ${i}` }));
    for (const p of posts) sorter.add(p);
    for (const p of posts) p.excerptUtf8.fill(0x21);
    const batches = [...sorter.batches()];
    expect(batches.length).toBeGreaterThan(2);
    for (const batch of batches) expect(batch.length).toBeLessThanOrEqual(4096);
    const all = batches.flat();
    expect(all).toHaveLength(10_000);
    expect(new Set(all.map((p) => p.excerptUtf8.buffer)).size).toBe(1);
    expect(all.every((p) => toPost(p).excerpt.startsWith('正文 '))).toBe(true);
  });
});

describe('the memory a run may use', () => {
  it('a sort past its heap share is OUT_OF_MEMORY, naming --sort', () => {
    const selection = new Selection({ ...SELECT_ALL, sort: 'date' }, new MemoryBudget({ heap: 100_000, buffers: Number.POSITIVE_INFINITY }));
    const error = postdumpErrorOf(() => selection.push(Array.from({ length: 1000 }, () => post({}))));
    expect(error.diagnostic).toMatchObject({
      code: 'OUT_OF_MEMORY',
      severity: 'error',
      source: null,
      detail: '--sort needs more than the 0 MiB this run may keep on its heap',
    });
    expect(error.exitCode).toBe(1);
  });

  it('dedupe past its share too, and a sort past the buffers it may take', () => {
    const dedupe = new Selection({ ...SELECT_ALL, dedupe: true }, new MemoryBudget({ heap: 10_000, buffers: Number.POSITIVE_INFINITY }));
    expect(postdumpErrorOf(() => dedupe.push(Array.from({ length: 1000 }, (_, i) => post({ title: `t${i}` })))).diagnostic.detail).toMatch(
      /^--dedupe needs more/u,
    );
    const sort = new Selection({ ...SELECT_ALL, sort: 'title' }, new MemoryBudget({ heap: Number.POSITIVE_INFINITY, buffers: 1024 }));
    expect(postdumpErrorOf(() => sort.push([post({})])).diagnostic.detail).toBe(
      '--sort needs more than the 0 MiB of memory that were free when the run started',
    );
  });

  it("a run's heap share is looked up when it is first needed and kept for the run; the next run looks again", () => {
    const limits = memoryLimits();
    const share = limits.heap;
    expect(share).toBeGreaterThan(0);
    // 64 MiB that stays on the heap: not this run's to count (its stages charge what they hold), the next run's.
    const held = new Array(8 * 1024 * 1024).fill(0.5);
    expect(limits.heap).toBe(share);
    expect(memoryLimits().heap).toBeLessThan(share - 0.75 * 48 * 1024 * 1024);
    expect(held).toHaveLength(8 * 1024 * 1024);
  });
});

describe('--dedupe', () => {
  it("holds each post's best copy compactly: the bytes of the copies it replaced are reclaimed, not kept", () => {
    // 2,000 ever better copies of one post with a 100 KB excerpt: 200 MB if replaced copies stayed in their slabs.
    const dedupe = new Selection({ ...SELECT_ALL, dedupe: true }, new MemoryBudget({ heap: Number.POSITIVE_INFINITY, buffers: 64 * 1024 * 1024 }));
    const body = 'x'.repeat(100_000);
    for (let i = 0; i < 2000; i++) expect(dedupe.push([post({ id: 1, readers: i, excerpt: `${i} ${body}` })])).toEqual([]);
    const kept = [...dedupe.end()].flat().map(toPost);
    expect(kept.map((p) => [p.readers, p.excerpt])).toEqual([[1999, `1999 ${body}`]]);
  });

  it('property: with --sort, the best copies in order, however the copies come', () => {
    const arb = fc.array(fc.record({ id: fc.integer({ min: 1, max: 30 }), readers: fc.integer({ min: 0, max: 9 }) }), { maxLength: 300 });
    fc.assert(
      fc.property(arb, (copies) => {
        const posts = copies.map(({ id, readers }, i) => post({ id, title: `t${id}`, readers, line: i + 1 }));
        const selection = new Selection({ ...SELECT_ALL, dedupe: true, sort: 'readers' });
        expect(selection.push(posts)).toEqual([]);
        const got = [...selection.end()].flat().map((p) => [p.id, p.readers, p.line]);
        // The reference: the first copy with the most readers of each id, in the order ids first appear, then a stable sort.
        const best = new Map<number, RawPost>();
        for (const p of posts) if ((best.get(p.id as number)?.readers ?? -1) < (p.readers as number)) best.set(p.id as number, p);
        const expected = [...best.values()].sort((a, b) => (a.readers as number) - (b.readers as number)).map((p) => [p.id, p.readers, p.line]);
        expect(got).toEqual(expected);
      }),
      { numRuns: 200, seed: 16 },
    );
  });
});

/** The peak RSS of `postdump ARGS`, in bytes. */
function peakRss(args: string[], env: Record<string, string> = {}): number {
  const report = join(tempDir(), 'rss.cjs');
  writeFileSync(report, `process.on('exit', () => require('fs').writeSync(2, 'MAXRSS ' + process.resourceUsage().maxRSS + '\\n'));`);
  const r = runCli(args, { env: { ...env, NODE_OPTIONS: `--require ${report}` } });
  expect(r.status).toBe(0);
  return Number(/MAXRSS (\d+)/u.exec(r.stderr)?.[1]) * 1024;
}

describe('--sort end to end', () => {
  it('holds its posts compactly: the memory it adds to a run is about the size of the input, not four times it', () => {
    const dir = tempDir();
    const dump = join(dir, 'dump.txt');
    const bytes = Buffer.concat(Array.from({ length: 3000 }, () => readFileSync(seedPath)));
    writeFileSync(dump, bytes);
    const plain = peakRss(['parse', dump, '-f', 'jsonl', '-o', join(dir, 'plain.jsonl')]);
    const sorted = peakRss(['parse', dump, '-f', 'jsonl', '--sort', 'date', '-o', join(dir, 'sorted.jsonl')]);
    // Measured: 2.1 × the input here, 1.3 × for a dump of 1.14 GB (the fixed costs weigh less); it was
    // 4.2 × when every post had a buffer of its own and the whole output was formatted at once.
    expect((sorted - plain) / bytes.length).toBeLessThan(3);
  }, 60_000);

  it('a sort that would pass the heap ends with one line, exit 1 (V8 would end the process with a fatal error)', () => {
    const dir = tempDir();
    const dump = join(dir, 'many.txt');
    writeFileSync(dump, Array.from({ length: 200_000 }, (_, i) => `T${i}\nBy a | 2021-01-01 | ${i}位读者 | 引用x\n`).join(''));
    const r = runCli(['parse', dump, '--sort', 'title', '-f', 'jsonl'], { env: { NODE_OPTIONS: '--max-old-space-size=32' } });
    expect(r.status).toBe(1);
    expect(stderrLines(r.stderr)).toEqual([
      expect.stringMatching(/^postdump: error: not enough memory: --sort needs more than the \d+ MiB this run may keep on its heap$/u),
    ]);
    expectNoStackTrace(r.stderr);
  }, 60_000);
});
