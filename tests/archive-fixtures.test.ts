/**
 * The web-archive and feed fixtures of issue 14 (fixtures/archives, made by its make/make.sh with
 * wget, warcio.js and Chromium) say what they claim: every record their expected files list is where
 * warcio, the reference WARC reader, finds it; each capture of a page gives that page's posts through
 * today's page reader; the MHTML and feed expectations follow from the pages they were made from; the
 * bad inputs carry the one fault each is named for. These files are the golden references of the
 * kinds that read them (tests/archives.test.ts).
 */
import { readFileSync } from 'node:fs';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { WARCParser } from 'warcio';
import { describe, expect, it } from 'vitest';
import { parse, type Post } from '../src/index.js';

const DIR = 'fixtures/archives';
const bytesOf = (name: string): Buffer => readFileSync(new URL(`../${DIR}/${name}`, import.meta.url));
const textOf = (name: string): string => bytesOf(name).toString('utf8');
const jsonOf = <T>(name: string): T => JSON.parse(textOf(name)) as T;
const pagePosts = (name: string): Post[] => (JSON.parse(readFileSync(new URL(`../fixtures/html/${name}`, import.meta.url), 'utf8')) as { posts: Post[] }).posts;

interface ExpectedRecord {
  offset: number;
  type: string;
  uri: string | null;
  status?: number;
  contentType?: string;
  refersTo?: string;
  outcome: 'read' | 'skipped';
  posts?: number;
  reason?: string;
}
interface WarcExpected {
  records: ExpectedRecord[];
  posts: Post[];
}

async function concat(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts);
}

/** Each record as warcio reads it, with the payload of a response that the expected file says is read. */
async function readWarc(bytes: Buffer, read: ReadonlySet<number>): Promise<{ record: Omit<ExpectedRecord, 'outcome'>; payload: Buffer | null }[]> {
  const parser = new WARCParser([bytes]);
  const out: { record: Omit<ExpectedRecord, 'outcome'>; payload: Buffer | null }[] = [];
  for await (const record of parser) {
    const offset = parser.offset;
    const http = record.warcType === 'response' || record.warcType === 'revisit' ? record.httpHeaders : null;
    const refersTo = record.warcType === 'revisit' ? record.warcRefersToTargetURI : undefined;
    // warcio undoes chunking, gzip and deflate; brotli it passes through as it is.
    const decoded = read.has(offset) ? await concat(record.contentReader) : null;
    const payload = decoded !== null && http?.headers.get('content-encoding') === 'br' ? brotliDecompressSync(decoded) : decoded;
    out.push({
      record: {
        offset,
        type: record.warcType,
        uri: record.warcTargetURI ?? null,
        ...(http ? { status: Number(http.statusCode), contentType: http.headers.get('content-type') ?? '' } : {}),
        ...(refersTo ? { refersTo } : {}),
      },
      payload,
    });
  }
  return out;
}

describe.each(['crawl.warc.gz', 'warcio.warc.gz', 'warcio.warc'])('%s', (name) => {
  const expected = jsonOf<WarcExpected>(`${name}.expected.json`);

  it("lists every record where warcio finds it, and each read page's posts are today's page reader's", async () => {
    const read = new Set(expected.records.filter((r) => r.outcome === 'read').map((r) => r.offset));
    const records = await readWarc(bytesOf(name), read);
    expect(records.map((r) => r.record)).toEqual(expected.records.map(({ outcome: _o, posts: _p, reason: _r, ...record }) => record));
    const posts = records.flatMap(({ record, payload }) =>
      payload === null ? [] : parse(payload, { source: `${name}#${record.offset}`, inputType: 'html' }).posts.map((p) => ({ ...p })),
    );
    expect(posts).toEqual(expected.posts);
  });
});

describe('wget', () => {
  it('its CDX index names each response record by the offset the expected file gives', () => {
    const { records } = jsonOf<WarcExpected>('crawl.warc.gz.expected.json');
    const [header, ...lines] = textOf('crawl.cdx').trimEnd().split('\n');
    expect(header).toBe(' CDX a b a m s k r M V g u');
    const responses = records.filter((r) => r.type === 'response').map((r) => `${r.uri} ${r.offset}`);
    expect(lines.map((line) => line.split(' ')).map((f) => `${f[0]} ${f[8]}`)).toEqual(responses);
  });

  it('wrote one gzip member per record, its own log as resource records, and the article as the server sent it: gzipped, in chunks', () => {
    const warc = bytesOf('crawl.warc.gz');
    const { records } = jsonOf<WarcExpected>('crawl.warc.gz.expected.json');
    const member = (i: number): string => gunzipSync(warc.subarray(records[i]?.offset, records[i + 1]?.offset)).toString('latin1');
    expect(records.map((_, i) => /^WARC\/1\.0\r\nWARC-Type: (\w+)\r\n/.exec(member(i))?.[1])).toEqual(records.map((r) => r.type));
    expect(records.filter((r) => r.type === 'resource').map((r) => r.uri)).toContain('metadata://gnu.org/software/wget/warc/wget.log');
    const article = records.findIndex((r) => r.type === 'response' && r.uri === 'http://kexue.fm/archives/9119');
    const httpHeaders = member(article).split('\r\n\r\n')[1]?.split('\r\n') ?? [];
    expect(httpHeaders).toEqual(expect.arrayContaining(['HTTP/1.1 200 OK', 'Content-Encoding: gzip', 'Transfer-Encoding: chunked']));
  });
});

/** A page's excerpt with its TeX taken out, as a browser's snapshot keeps it (Chromium drops every script, math/tex ones too). */
const withoutTex = (excerpt: string): string =>
  excerpt
    .replace(/\$\$[\s\S]*?\$\$|\$[^$\n]*\$/g, '')
    .split('\n')
    .filter((l) => l !== '')
    .join('\n');

describe('Chromium MHTML', () => {
  it('is multipart/related with the page first as quoted-printable text/html and its address in Snapshot-Content-Location', () => {
    for (const [name, address] of [
      ['article.mhtml', 'http://kexue.fm/archives/9119'],
      ['listing-gb18030.mhtml', 'http://www.spaces.ac.cn/'],
    ] as const) {
      const text = textOf(name);
      expect(text).toMatch(/^From: <Saved by Blink>\r?\n/);
      expect(text).toContain(`Snapshot-Content-Location: ${address}\r\n`);
      expect(text).toMatch(/Content-Type: multipart\/related;\r?\n\ttype="text\/html";/);
      expect(text).toMatch(
        /----\r?\nContent-Type: text\/html\r?\nContent-ID: <frame-[0-9A-F]+@mhtml\.blink>\r?\nContent-Transfer-Encoding: quoted-printable\r?\n/,
      );
      expect(text).not.toMatch(/<script/i);
    }
  });

  it("gives the article's post, without the TeX the snapshot lost", () => {
    const [post] = jsonOf<{ posts: Post[] }>('article.mhtml.expected.json').posts;
    const [page] = pagePosts('article.expected.json');
    expect({ ...post, excerpt: '', line: 0, source: '' }).toEqual({ ...page, excerpt: '', line: 0, source: '' });
    expect(post?.excerpt).toBe(withoutTex(page?.excerpt ?? ''));
  });

  it("gives the listing's nine posts, and the one a script of the page wrote into it before the snapshot", () => {
    const posts = jsonOf<{ posts: Post[] }>('listing-gb18030.mhtml.expected.json').posts;
    const page = pagePosts('listing.expected.json');
    const identity = (p: Post) => [p.title, p.date, p.readers, p.url, p.id];
    expect(posts.slice(0, 9).map(identity)).toEqual(page.map(identity));
    expect(posts.slice(0, 9).map((p) => p.excerpt)).toEqual(page.map((p) => withoutTex(p.excerpt)));
    expect(posts.slice(9).map((p) => p.title)).toEqual(['假文章']);
  });
});

describe.each([
  ['feed.rss', '<item>', /<pubDate>(.*)<\/pubDate>/, /<link>(.*)<\/link>/],
  ['feed.atom', '<entry>', /<published>(.*)<\/published>/, /<link rel="alternate" type="text\/html" href="([^"]+)"/],
] as const)('%s', (name, opening, published, link) => {
  const lines = textOf(name).split('\n');
  const { posts } = jsonOf<{ posts: Post[] }>(`${name}.expected.json`);

  it("has one post per item, at the item's line, with its link, and its date the calendar date at the feed's +0800", () => {
    const items = lines.flatMap((l, i) => (l === opening ? [i + 1] : []));
    expect(posts.map((p) => p.line)).toEqual(items);
    const item = (post: Post): string => lines.slice(post.line - 1, post.line + 12).join('\n');
    const stamp = (post: Post): string => published.exec(item(post))?.[1] ?? '';
    const utcDate = (post: Post): string => new Date(Date.parse(stamp(post))).toISOString().slice(0, 10);
    for (const post of posts) {
      expect(link.exec(item(post))?.[1]).toBe(post.url);
      expect(stamp(post)).toMatch(/\+0800$|\+08:00$/);
      expect(post.date).toBe(new Date(Date.parse(stamp(post)) + 8 * 3600_000).toISOString().slice(0, 10));
    }
    // One item was published after midnight at +0800: in UTC it is the day before.
    expect(posts.filter((p) => utcDate(p) !== p.date).map((p) => p.id)).toEqual([8119]);
  });

  it("gives each post the text its page shows, through the page body's rules", () => {
    const pages = [...pagePosts('article.expected.json'), ...pagePosts('listing.expected.json')];
    for (const post of posts) expect(post.excerpt).toBe(pages.find((p) => p.id === post.id)?.excerpt);
  });
});

describe('bad inputs', () => {
  const bad = jsonOf<Record<string, { at?: number; posts?: (string | number)[] }>>('bad/expected.json');
  const at = (name: string): number => bad[name]?.at ?? Number.NaN;

  it("a lying Content-Length: the article response's length off by 1,000 either way, nothing else changed", () => {
    const good = textOf('warcio.warc');
    for (const [name, delta] of [
      ['content-length-too-small.warc', -1000],
      ['content-length-too-large.warc', 1000],
    ] as const) {
      const text = textOf(`bad/${name}`);
      const field = (t: string): number => Number(/Content-Length: (\d+)/.exec(t.slice(at(name)))?.[1]);
      expect(field(text) - field(good)).toBe(delta);
      expect(text.replace(/Content-Length: \d+/g, '')).toBe(good.replace(/Content-Length: \d+/g, ''));
    }
  });

  it('a plain record inside a .warc.gz: at its offset a WARC/1.1 line, not gzip; warcio stops there without a word', async () => {
    const bytes = bytesOf('bad/plain-record-in-gzip.warc.gz');
    const offset = at('plain-record-in-gzip.warc.gz');
    expect(bytes.subarray(offset, offset + 9).toString('latin1')).toBe('WARC/1.1\r');
    const offsets = (await readWarc(bytes, new Set())).map((r) => r.record.offset);
    expect(offsets.every((o) => o < offset)).toBe(true);
  });

  it("a truncated crawl: the first bytes of wget's WARC, cut inside a record; warcio ends at the last whole one without a word", async () => {
    const cut = bytesOf('bad/truncated.warc.gz');
    expect(bytesOf('crawl.warc.gz').subarray(0, cut.length).equals(cut)).toBe(true);
    const records = await readWarc(cut, new Set());
    expect(records.map((r) => r.record.offset).every((o) => o < at('truncated.warc.gz'))).toBe(true);
    expect(bad['truncated.warc.gz']?.posts).toHaveLength(11);
  });

  it('an MHTML without its HTML part, a feed with a broken end tag at the named line, and the billion laughs', () => {
    const mhtml = textOf('bad/no-html-part.mhtml');
    expect(mhtml).toContain('Snapshot-Content-Location: http://kexue.fm/archives/9119');
    expect(mhtml).not.toMatch(/Content-Type: text\/html/);
    expect(mhtml).toMatch(/Content-Type: image\/png/);
    expect(textOf('bad/not-well-formed.rss').split('\n')[at('not-well-formed.rss') - 1]).toMatch(/^<title>.*<\/titel>$/);
    const laughs = textOf('bad/billion-laughs.rss');
    expect(laughs.match(/<!ENTITY lol\d? /g)).toHaveLength(10);
    expect(laughs).toContain('<title>&lol9;</title>');
  });
});
