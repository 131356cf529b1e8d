/**
 * Borrowed batches (`src/borrowed.ts`): a post's excerpt is a view of parser memory reused once the
 * reader is asked for more. The tests run with that memory overwritten on reuse (helpers/setup.ts),
 * so a post kept without `own()` shows garbage at once: this file shows that the check catches such a
 * keeper, and that `own()` is what it takes.
 */
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { own, recycleCheck } from '../src/borrowed.js';
import { parse } from '../src/index.js';
import { readRecords } from '../src/input/read-by-kind.js';
import { toPost, type RawPost } from '../src/record.js';
import { seedPath } from './helpers/cli.js';

// Past the first 64 KiB, which are held until they tell the input's kind: many batches.
const dump = Buffer.concat(Array.from({ length: 40 }, () => readFileSync(seedPath)));
const expected = parse(dump, { source: 'dump.txt' }).posts.map((p) => p.excerpt);

/** The dump in chunks of `chunkBytes` (4 KiB), each post kept as `keep` makes it. */
async function kept(keep: (post: RawPost) => RawPost, chunkBytes = 4096): Promise<string[]> {
  const chunks = Array.from({ length: Math.ceil(dump.length / chunkBytes) }, (_, i) => dump.subarray(i * chunkBytes, (i + 1) * chunkBytes));
  const posts: RawPost[] = [];
  for await (const batch of readRecords(Readable.from(chunks), { source: 'dump.txt', inputType: 'text' })) {
    for (const post of batch) posts.push(keep(post));
  }
  return posts.map((p) => toPost(p).excerpt);
}

describe('borrowed batches', () => {
  it('the tests run with recycled memory overwritten', () => {
    expect(recycleCheck.overwrite).toBe(true);
  });

  it('a post kept past its batch without own() is caught: its excerpt is overwritten', async () => {
    const excerpts = await kept((post) => post);
    expect(excerpts).toHaveLength(expected.length);
    expect(excerpts).not.toEqual(expected);
    expect(excerpts.some((e) => e.includes('\ufffd'))).toBe(true);
  });

  it('so is one whose excerpt views its chunk (one stretch of the input, not copied): all but the last batch', async () => {
    // In 1 MiB chunks, nearly every excerpt lies within one chunk, as one run of its lines.
    const excerpts = await kept((post) => post, 1 << 20);
    const intact = excerpts.filter((e, i) => e === expected[i]).length;
    expect(excerpts).toHaveLength(expected.length);
    expect(intact).toBeLessThan(expected.length / 10);
  });

  it('own() keeps a post whole', async () => {
    expect(await kept(own)).toEqual(expected);
  });
});
