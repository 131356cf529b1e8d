/**
 * The web-archive and feed kinds (issue 14) on the fixtures of fixtures/archives, made by wget,
 * warcio.js, Chromium and Typecho's feed shape: each gives exactly its expected records, end to end
 * (the built CLI) and through the library; `-v` lists every record of a WARC as its expected file
 * does; a WARC reads the same whatever its chunks, gzip per record, plain or gzipped whole; warcio,
 * the reference reader, finds every record where ours names it, on wget's crawl and on a generated
 * one with records too large to inflate at once; hostile header blocks take linear time.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { WARCParser } from 'warcio';
import { describe, expect, it } from 'vitest';
import { generateWarc } from '../bench/generate-warc.js';
import { type Diagnostic, type Post, parseStream } from '../src/index.js';
import { feedDate } from '../src/input/kinds/feed.js';
import { repoRoot, runCli, stderrLines } from './helpers/cli.js';
import { ALL_FIELDS, asExpected, readJsonLines } from './helpers/read-back.js';
import { temporaryFolders } from './helpers/workspace.js';

const DIR = join(repoRoot, 'fixtures/archives');
const bytesOf = (name: string): Buffer => readFileSync(join(DIR, name));
const expectedOf = <T>(name: string): T => JSON.parse(readFileSync(join(DIR, name), 'utf8')) as T;
const tempDir = temporaryFolders('archives');

interface ExpectedRecord {
  offset: number;
  type: string;
  uri: string | null;
  outcome: 'read' | 'skipped';
  reason?: string;
}

/** The posts and diagnostics of bytes read by the library, in chunks of the given sizes (cycled). */
async function read(bytes: Buffer, source: string, sizes: readonly number[] = [1 << 20]): Promise<{ posts: Post[]; diagnostics: Diagnostic[] }> {
  const chunks = (function* () {
    let at = 0;
    for (let i = 0; at < bytes.length; i++) {
      const size = sizes[i % sizes.length] as number;
      yield bytes.subarray(at, at + size);
      at += size;
    }
  })();
  const diagnostics: Diagnostic[] = [];
  const posts: Post[] = [];
  const stream = (async function* () {
    yield* chunks;
  })();
  for await (const post of parseStream(stream, { source, onDiagnostic: (d) => diagnostics.push(d) })) posts.push(post);
  return { posts, diagnostics };
}

/** What `-v` lists of each record. */
const recordList = (diagnostics: readonly Diagnostic[]): string[] =>
  diagnostics.filter((d) => d.code === 'ARCHIVE_RECORD').map((d) => `${d.source} ${d.detail}`);

describe.each(['crawl.warc.gz', 'warcio.warc.gz', 'warcio.warc', 'article.mhtml', 'listing-gb18030.mhtml', 'feed.rss', 'feed.atom'])('%s', (name) => {
  const expected = expectedOf<{ posts: Post[]; records?: ExpectedRecord[] }>(`${name}.expected.json`);

  it('gives its expected records, end to end (exit 0, nothing on stderr)', () => {
    const r = runCli(['parse', name, '-f', 'jsonl', '--fields', ALL_FIELDS], { cwd: DIR });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(readJsonLines(r.stdout).map(asExpected)).toEqual(expected.posts);
  });

  it('gives the same records through parseStream, in chunks of 1 to 700 bytes', async () => {
    const { posts } = await read(bytesOf(name), name, [1, 7, 700, 64, 3]);
    expect(posts.map(asExpected)).toEqual(expected.posts);
  });

  if (expected.records !== undefined) {
    const records = expected.records;
    it('-v lists each record with its offset, what was done with it and why', async () => {
      const { diagnostics } = await read(bytesOf(name), name);
      const listed = diagnostics.filter((d) => d.code === 'ARCHIVE_RECORD').map((d) => `${d.source} ${d.detail}`);
      const uri = (r: ExpectedRecord): string => (r.uri === null ? '' : `: ${r.uri}`);
      expect(listed).toEqual(
        records.map((r) =>
          r.outcome === 'read'
            ? expect.stringMatching(new RegExp(`^${name}#${r.offset} read as a page \\(text/html.*\\)${uri(r).replace(/[.?]/g, '\\$&')}$`))
            : `${name}#${r.offset} skipped, ${r.reason}${uri(r)}`,
        ),
      );
      const summary = diagnostics.filter((d) => d.code === 'ARCHIVE_RECORDS').map((d) => d.detail);
      expect(summary).toEqual([expect.stringMatching(new RegExp(`^${records.length} records: ${records.filter((r) => r.outcome === 'read').length} read, `))]);
    });
  }
});

describe('wget crawl, -v on the command line', () => {
  it('names each record FILE#OFFSET with its URI, and ends with the count by reason', () => {
    const r = runCli(['parse', 'crawl.warc.gz', '-v', '-f', 'jsonl'], { cwd: DIR });
    const lines = stderrLines(r.stderr);
    expect(lines).toContain('postdump: info: crawl.warc.gz#826: skipped, status 301: http://kexue.fm/index.php');
    expect(lines).toContain('postdump: info: crawl.warc.gz#20369: read as a page (text/html; charset=GB18030): http://www.spaces.ac.cn/');
    expect(lines).toContain(
      'postdump: info: crawl.warc.gz: 24 records: 5 read, 19 skipped (10 request records, 3 not pages, 2 resource records, 1 warcinfo record, 1 with status 301, 1 with status 404, 1 metadata record)',
    );
  });
});

describe('a WARC reads the same however it is stored', () => {
  it('plain, gzip per record, and gzipped whole by gzip(1): the same posts; whole, its records are named MEMBER+OFFSET', async () => {
    const plain = bytesOf('warcio.warc');
    const whole = spawnSync('gzip', ['-c'], { input: plain }).stdout;
    const posts = async (bytes: Buffer) => (await read(bytes, 'w')).posts.map((p) => ({ ...p, source: '' }));
    expect(await posts(whole)).toEqual(await posts(plain));
    expect(await posts(bytesOf('warcio.warc.gz'))).toEqual(await posts(plain));
    const { posts: named } = await read(whole, 'w');
    expect([...new Set(named.map((p) => p.source))]).toEqual(['w#0+958', 'w#0+15739', 'w#0+23002']);
  });

  it('in any chunks: the posts and the record list do not change (property)', async () => {
    const bytes = bytesOf('crawl.warc.gz');
    const reference = await read(bytes, 'c');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 8 }), async (sizes) => {
        const got = await read(bytes, 'c', sizes);
        expect(got.posts).toEqual(reference.posts);
        expect(recordList(got.diagnostics)).toEqual(recordList(reference.diagnostics));
      }),
      { numRuns: 25 },
    );
  });
});

/** Every record warcio finds, by offset and type, as our record list names them. */
async function warcioRecords(bytes: Buffer): Promise<string[]> {
  const parser = new WARCParser([bytes]);
  const found: string[] = [];
  for await (const record of parser) found.push(`${parser.offset} ${record.warcType}`);
  return found;
}
const ourRecords = (diagnostics: readonly Diagnostic[]): string[] =>
  diagnostics
    .filter((d) => d.code === 'ARCHIVE_RECORD')
    .map((d) => {
      const reason = /^skipped, (\w+) record/.exec(d.detail)?.[1] ?? (/^skipped, revisit/.test(d.detail) ? 'revisit' : 'response');
      return `${d.source?.slice(d.source.indexOf('#') + 1)} ${reason}`;
    });

describe('warcio, the reference reader, finds every record where ours does', () => {
  it("on wget's crawl and on a generated crawl of 80 captures", async () => {
    const dir = tempDir();
    const path = join(dir, 'gen.warc.gz');
    const counts = await generateWarc(path, 80, repoRoot);
    for (const bytes of [bytesOf('crawl.warc.gz'), readFileSync(path)]) {
      const { diagnostics } = await read(bytes, 'x');
      expect(ourRecords(diagnostics)).toEqual(await warcioRecords(bytes));
    }
    const { posts } = await read(readFileSync(path), 'x');
    expect(posts).toHaveLength(counts.posts);
  });

  it('with records larger than a gzip member inflated at once (2 MiB images, a page after each)', async () => {
    const page = readFileSync(join(repoRoot, 'fixtures/html/listing.html'));
    const record = (type: string, uri: string, block: Buffer): Buffer =>
      gzipSync(
        Buffer.concat([
          Buffer.from(`WARC/1.0\r\nWARC-Type: ${type}\r\nWARC-Target-URI: ${uri}\r\nContent-Length: ${block.length}\r\n\r\n`),
          block,
          Buffer.from('\r\n\r\n'),
        ]),
      );
    const http = (type: string, body: Buffer): Buffer => Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: ${type}\r\n\r\n`), body]);
    // Incompressible: each image's gzip member is over 2 MiB.
    const noise = Buffer.alloc(2 << 20);
    for (let i = 0; i < noise.length; i += 4) noise.writeUInt32LE((Math.imul(i + 1, 2654435761) ^ (i << 7)) >>> 0, i);
    const warc = Buffer.concat(
      [0, 1, 2].flatMap((i) => [
        record('response', `https://kexue.fm/i${i}.png`, http('image/png', noise)),
        record('response', `https://kexue.fm/page/${i}/`, http('text/html', page)),
      ]),
    );
    const { posts, diagnostics } = await read(warc, 'big', [65536]);
    expect(ourRecords(diagnostics)).toEqual(await warcioRecords(warc));
    expect(posts).toHaveLength(27);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});

describe('bad inputs (fixtures/archives/bad): one error each, the records before it kept', () => {
  const bad = expectedOf<Record<string, { at?: number; posts?: (string | number)[] }>>('bad/expected.json');
  const run = (name: string) => {
    const r = runCli(['parse', name, '-f', 'jsonl'], { cwd: join(DIR, 'bad') });
    return { status: r.status, errors: stderrLines(r.stderr), posts: readJsonLines(r.stdout) };
  };

  it.each([
    ['content-length-too-small.warc', '1,004 bytes skipped to the next record, #14385'],
    ['content-length-too-large.warc', '358 bytes skipped to the next record, #15739'],
  ])('%s: the record named at its offset, then the records after the next record start', (name, resumed) => {
    const r = run(name);
    expect(r.status).toBe(1);
    expect(r.errors).toEqual([
      expect.stringMatching(
        new RegExp(`^postdump: error: ${name}#${bad[name]?.at}: the record does not end where its Content-Length \\([\\d,]+\\) says.*; ${resumed}$`),
      ),
    ]);
    expect([...new Set(r.posts.map((p) => p.source))]).toEqual([`${name}#15739`, `${name}#23002`]);
  });

  it('plain-record-in-gzip.warc.gz: the records before it, one error at its offset', () => {
    const r = run('plain-record-in-gzip.warc.gz');
    expect(r.status).toBe(1);
    expect(r.errors).toEqual([expect.stringMatching(/^postdump: error: plain-record-in-gzip\.warc\.gz#5782: not gzip data, where the next record/)]);
    expect(r.posts.map((p) => p.source)).toEqual(['plain-record-in-gzip.warc.gz#660']);
  });

  it('truncated.warc.gz: the records before the cut, one error for the cut', () => {
    const r = run('truncated.warc.gz');
    expect(r.status).toBe(1);
    expect(r.errors).toEqual([
      `postdump: error: truncated.warc.gz#${bad['truncated.warc.gz']?.at}: the file ends inside this record's gzip member (a cut-off file?)`,
    ]);
    expect(r.posts.map((p) => p.source)).toEqual(bad['truncated.warc.gz']?.posts);
  });

  it('no-html-part.mhtml: one error', () => {
    const r = run('no-html-part.mhtml');
    expect({ status: r.status, posts: r.posts }).toEqual({ status: 1, posts: [] });
    expect(r.errors).toEqual([expect.stringMatching(/^postdump: error: no-html-part\.mhtml: no post found: this MHTML snapshot has no text\/html part/)]);
  });

  it("not-well-formed.rss: the items before the fault, one error at the fault's line", () => {
    const r = run('not-well-formed.rss');
    expect(r.status).toBe(1);
    expect(r.errors).toEqual([
      `postdump: error: not-well-formed.rss:${bad['not-well-formed.rss']?.at}: not well-formed XML (column 35: unexpected close tag); the item open there and the rest of the feed are not read`,
    ]);
    expect(r.posts.map((p) => p.id)).toEqual(bad['not-well-formed.rss']?.posts);
  });

  it('billion-laughs.rss: one line, nothing expanded', () => {
    const r = run('billion-laughs.rss');
    expect({ status: r.status, posts: r.posts }).toEqual({ status: 1, posts: [] });
    expect(r.errors).toEqual([expect.stringMatching(/^postdump: error: billion-laughs\.rss:\d+: a DOCTYPE that declares entities/)]);
  });
});

describe('hostile WARCs take linear time', () => {
  // A header block that never ends, in lines without a colon: warcio's parser is quadratic on it.
  const hostile = (n: number): Buffer => Buffer.from(`WARC/1.0\r\n${'x\r\n'.repeat(Math.ceil(n / 3))}`);
  /** CPU microseconds to read `bytes` (the reader is asynchronous: the helper of linear-time.ts times synchronous work). */
  const cpu = async (bytes: Buffer): Promise<number> => {
    const start = process.cpuUsage();
    await read(bytes, 'h', [65536]);
    const used = process.cpuUsage(start);
    return used.user + used.system;
  };
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

  it.each([
    ['a header block without a blank line, then more of it', (n: number) => hostile(n)],
    [
      'empty records, one after the other',
      (n: number) => Buffer.from('WARC/1.0\r\nWARC-Type: request\r\nContent-Length: 0\r\n\r\n\r\n\r\n'.repeat(Math.ceil(n / 50))),
    ],
    [
      'a response whose HTTP header block never ends',
      (n: number) => {
        const http = `HTTP/1.1 200 OK\r\n${'x\r\n'.repeat(Math.ceil(n / 3))}`;
        return Buffer.from(`WARC/1.0\r\nWARC-Type: response\r\nContent-Length: ${http.length}\r\n\r\n${http}\r\n\r\n`);
      },
    ],
  ])('%s: twice the bytes, about twice the CPU time', async (_name, make) => {
    const n = 1 << 20;
    const [small, large] = [make(n), make(2 * n)];
    const times: [number[], number[]] = [[], []];
    for (let i = 0; i < 3; i++) {
      times[0].push(await cpu(small));
      times[1].push(await cpu(large));
    }
    expect(median(times[1]) / median(times[0])).toBeLessThan(3);
  });

  it('a 50 MiB header block is one error, at once', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'h.warc'), hostile(50 << 20));
    const r = runCli(['parse', 'h.warc'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(stderrLines(r.stderr)).toEqual([
      'postdump: error: h.warc#0: a WARC header block longer than 1 MiB: not a WARC record; no record after it: the rest of the file is not read',
    ]);
  });
});

describe('feed dates: the calendar date as written, in the feed offset', () => {
  it.each([
    ['Fri, 22 Jan 2021 00:16:08 +0800', '2021-01-22'],
    ['Tue, 19 Nov 2025 23:30:00 +0800', '2025-11-19'],
    ['22 Jan 21 00:16 GMT', '2021-01-22'],
    ['1 Feb 99 10:00:00 EST', '1999-02-01'],
    ['2022-06-13T23:52:17+08:00', '2022-06-13'],
    ['2021-01-21T16:16:08Z', '2021-01-21'],
    ['2021-02-30T00:00:00Z', null],
    ['Sat, 31 Feb 2021 00:00:00 +0000', null],
    ['yesterday', null],
  ])('%s → %s', (text, date) => {
    expect(feedDate(text)).toBe(date);
  });
});
