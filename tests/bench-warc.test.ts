/**
 * The bench's synthetic WARC (bench/generate-warc.ts) is a crawl a real reader takes: warcio, the
 * reference reader, finds every record it counts at a gzip member's start, and the pages it holds give
 * the posts it counts through today's page reader.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WARCParser } from 'warcio';
import { describe, expect, it } from 'vitest';
import { generateWarc } from '../bench/generate-warc.js';
import { parse } from '../src/index.js';
import { repoRoot } from './helpers/cli.js';
import { temporaryFolders } from './helpers/workspace.js';

const tempDir = temporaryFolders('bench-warc');

describe('the synthetic WARC', () => {
  it('holds the records, pages, images, revisits and posts it counts, gzip per record, the same bytes each time', async () => {
    const dir = tempDir();
    const [a, b] = [join(dir, 'a.warc.gz'), join(dir, 'b.warc.gz')];
    const counts = await generateWarc(a, 60, repoRoot);
    await generateWarc(b, 60, repoRoot);
    const bytes = readFileSync(a);
    expect(bytes.equals(readFileSync(b))).toBe(true);
    expect(bytes.length).toBe(counts.bytes);

    const types = new Map<string, number>();
    let posts = 0;
    let images = 0;
    const parser = new WARCParser([bytes]);
    for await (const record of parser) {
      expect([...bytes.subarray(parser.offset, parser.offset + 2)]).toEqual([0x1f, 0x8b]);
      types.set(record.warcType, (types.get(record.warcType) ?? 0) + 1);
      if (record.warcType !== 'response') continue;
      const http = record.httpHeaders;
      // The payload as the server meant it: warcio undoes Content-Encoding: gzip.
      const payload = await record.readFully(true);
      if (http?.headers.get('content-type')?.startsWith('image/')) images++;
      else posts += parse(payload, { source: 'x', inputType: 'html' }).posts.length;
    }
    expect(Object.fromEntries(types)).toEqual({ warcinfo: 1, request: 60, response: counts.pages + counts.images, revisit: counts.revisits });
    expect(counts.records).toBe(1 + 60 * 2);
    expect([images, posts]).toEqual([counts.images, counts.posts]);
    expect(Math.min(counts.pages, counts.images, counts.revisits)).toBeGreaterThan(0);
  });
});
