/** The list of input kinds (src/input/kinds.ts): sniffs, layers, containers, through the library. */
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parse, parseStream, PostdumpError, type Diagnostic, type ParseStreamOptions, type Post } from '../src/index.js';
import { KINDS } from '../src/input/kinds.js';
import { kindOf, readRecords, sniffHead } from '../src/input/read-by-kind.js';
import { toPost } from '../src/record.js';
import { tarOf } from './helpers/archives.js';
import { seedPath } from './helpers/cli.js';

const seed = readFileSync(seedPath);
const article = readFileSync(new URL('../fixtures/html/article.html', import.meta.url));
const listing = readFileSync(new URL('../fixtures/html/listing.html', import.meta.url));

const kind = (name: string, content: string | Buffer, final = true): string | null =>
  kindOf(sniffHead(Buffer.isBuffer(content) ? content : Buffer.from(content), final, name, 'auto'))?.name ?? null;

async function streamed(chunks: Uint8Array[], options: ParseStreamOptions): Promise<{ posts: Post[]; diagnostics: Diagnostic[]; error: PostdumpError | null }> {
  const posts: Post[] = [];
  const diagnostics: Diagnostic[] = [];
  let error: PostdumpError | null = null;
  async function* source(): AsyncGenerator<Uint8Array> {
    yield* chunks;
  }
  try {
    for await (const post of parseStream(source(), { ...options, onDiagnostic: (d) => diagnostics.push(d) })) posts.push(post);
  } catch (e) {
    if (!(e instanceof PostdumpError)) throw e;
    error = e;
  }
  return { posts, diagnostics, error };
}

describe('the kinds', () => {
  it('are one list, text last: it takes any text', () => {
    expect(KINDS.at(-1)?.name).toBe('text');
    expect(new Set(KINDS.map((k) => k.name)).size).toBe(KINDS.length);
  });

  it.each([
    ['page', '<!DOCTYPE html><html><body>x</body></html>', 'html'],
    ['index.html?paged=2', '<!doctype html><title>t</title>', 'html'],
    ['11416', '\n\n<html lang="zh-CN"><head>', 'html'],
    ['dump.txt', '科学空间|Scientific Spaces\n标题\nBy 苏剑林 | 2021-01-22 | 1位读者 | 引用正文\n', 'text'],
    ['robots.txt', 'User-agent: *\nDisallow: /wp-admin/\n\nSitemap: https://kexue.fm/sitemap.xml\n', 'robots'],
    ['anything', '# comment\nuser-agent: *\ndisallow:\n', 'robots'],
    ['sitemap.xml', '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">', 'xml'],
    ['index.html', '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>', 'feed'],
    ['logo', '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"></svg>', 'xml'],
    ['style.css?ver=6.4', 'body{margin:0}', 'style'],
    ['x', '/* theme */\n@charset "utf-8";\n', 'style'],
    ['main.css', 'anything at all', 'style'],
    ['jquery.min.js?ver=3.7.1', '/*! jQuery v3.7.1 | (c) OpenJS Foundation */\n!function(e,t){}', 'script'],
    ['x', '(function () { var a = 1; })();', 'script'],
    ['x', 'window.dataLayer = window.dataLayer || [];', 'script'],
    ['posts.json', '[{"title":"t"}]', 'json'],
    ['x', '{"posts": []}', 'json'],
    ['lynx.txt', '[1]科学空间\n标题\nBy 苏剑林 | 2021-01-22 | 1位读者\n', 'text'],
    ['a.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), 'binary'],
    ['font', Buffer.from('wOF2\x00\x01\x00\x00', 'latin1'), 'binary'],
    ['x.bin', Buffer.from([0x61, 0x00, 0x62]), 'binary'],
    ['clip.md', '# 生成扩散模型漫谈\n\nBy 苏剑林 | 2022-06-13 | 1位读者\n', 'markdown'],
    ['note', '---\ntitle: 生成扩散模型漫谈\nsource: https://kexue.fm/archives/9119\n---\n', 'markdown'],
    ['page.md', '<!DOCTYPE html><title>t</title>', 'html'],
    ['utf16.txt', Buffer.from('\ufeff标题', 'utf16le'), 'text'],
  ])('%s: %j is %s', (name, content, expected) => {
    expect(kind(name, content)).toBe(expected);
  });

  it('wait while the bytes so far cannot tell, and decide once the head is whole', () => {
    expect(kind('x', '<!-- a comment not closed yet', false)).toBeNull();
    expect(kind('x', '<!-- a comment not closed yet', true)).toBe('text');
    expect(kind('x', 'User-agent: *', false)).toBeNull();
  });

  it('a named file that is not a page is an error; its kind says what it is', () => {
    expect(() => parse('User-agent: *\nDisallow: /\n', { source: 'robots.txt' })).toThrow('robots.txt: a robots.txt, not a page or a text dump');
    expect(() => parse(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), { source: 'a.png' })).toThrow(
      'a.png: binary input (a PNG image), not a text dump',
    );
  });
});

it('a Markdown clipping is read through the text parser', () => {
  const clip = `---\ntitle: clipped\n---\n\n${seed.toString('utf8')}`;
  expect(parse(clip, { source: 'clip.md' }).posts.map((p) => p.title)).toEqual(parse(seed, { source: 'clip.md' }).posts.map((p) => p.title));
});

describe('layers', () => {
  it('gzip, by its magic bytes whatever the name: the records of the plain file', async () => {
    const plain = parse(seed, { source: 'seed.txt' }).posts;
    const { posts, error } = await streamed([gzipSync(seed)], { source: 'seed.txt' });
    expect(error).toBeNull();
    expect(posts).toEqual(plain);
  });

  it('gzip cut into one-byte chunks reads the same', async () => {
    const gz = gzipSync(listing);
    const chunks = Array.from(gz, (b) => Uint8Array.of(b));
    const { posts } = await streamed(chunks, { source: 'listing.html.gz' });
    expect(posts.map((p) => p.id)).toEqual(parse(listing, { source: 'listing.html.gz' }).posts.map((p) => p.id));
  });

  it('Brotli, by its name', async () => {
    const { posts, error } = await streamed([brotliCompressSync(seed)], { source: 'seed.txt.br' });
    expect(error).toBeNull();
    expect(posts).toHaveLength(8);
  });

  it('a cut-off gzip: the records before the cut, then one CORRUPT_INPUT error', async () => {
    const gz = gzipSync(Buffer.concat(Array.from({ length: 60 }, () => seed)));
    const { posts, error } = await streamed([gz.subarray(0, gz.length - 40)], { source: 'cut.txt.gz' });
    expect(posts.length).toBeGreaterThan(0);
    expect(error?.diagnostic).toMatchObject({ code: 'CORRUPT_INPUT', source: 'cut.txt.gz', detail: 'gzip data ends before its end (a cut-off file?)' });
  });

  it('a damaged gzip or Brotli (a byte changed in the middle): one CORRUPT_INPUT error, not a run that stops without one', async () => {
    const big = Buffer.concat(Array.from({ length: 60 }, () => seed));
    for (const [source, packed] of [
      ['flipped.txt.gz', gzipSync(big)],
      ['flipped.txt.br', brotliCompressSync(big)],
    ] as const) {
      const middle = packed.length >> 1;
      packed[middle] = (packed[middle] as number) ^ 0x5a;
      const { error } = await streamed([packed], { source });
      expect(error?.diagnostic).toMatchObject({ code: 'CORRUPT_INPUT', source, args: { fault: 'corrupt' } });
    }
  });

  it('parse() refuses compressed input and archives, naming parseStream', () => {
    expect(() => parse(gzipSync(seed), { source: 'a.gz' })).toThrow(/gzip-compressed; parse\(\) reads plain text and pages: parseStream\(\)/);
    expect(() => parse(tarOf({ 'a.txt': seed }), { source: 'a.tar' })).toThrow(/a tar archive/);
  });

  it('a gzip inside a gzip inside ... gives up past a depth, instead of for ever', async () => {
    let bytes: Buffer = seed;
    for (let i = 0; i < 6; i++) bytes = gzipSync(bytes);
    const { error } = await streamed([bytes], { source: 'deep.gz' });
    expect(error?.diagnostic).toMatchObject({ code: 'CORRUPT_INPUT', detail: 'compressed or archived more than 4 times over' });
  });
});

describe('containers: tar', () => {
  it('members read like files found in a folder, named archive:path; what is not a page is a note', async () => {
    const tar = tarOf({
      'mirror/dump.txt': seed,
      'mirror/archives/8119': article,
      'mirror/style.css': 'body{margin:0}',
      'mirror/robots.txt': 'User-agent: *\n',
    });
    const { posts, diagnostics, error } = await streamed([gzipSync(tar)], { source: 'mirror.tar.gz' });
    expect(error).toBeNull();
    expect([...new Set(posts.map((p) => p.source))]).toEqual(['mirror.tar.gz:mirror/dump.txt', 'mirror.tar.gz:mirror/archives/8119']);
    expect(diagnostics.filter((d) => d.code === 'NOT_A_PAGE').map((d) => [d.source, d.severity, d.detail])).toEqual([
      ['mirror.tar.gz:mirror/style.css', 'info', 'a style sheet'],
      ['mirror.tar.gz:mirror/robots.txt', 'info', 'a robots.txt'],
    ]);
  });

  it('a member without a post is a note; an archive without any post is an error', async () => {
    const { diagnostics } = await streamed([tarOf({ 'about.txt': 'just words\n', 'empty.txt': '' })], { source: 'a.tar' });
    expect(diagnostics.filter((d) => d.code !== 'SKIPPED_NOISE').map((d) => [d.code, d.severity, d.source])).toEqual([
      ['NO_POSTS', 'info', 'a.tar:about.txt'],
      ['EMPTY_INPUT', 'info', 'a.tar:empty.txt'],
      ['NO_POSTS', 'error', 'a.tar'],
    ]);
  });

  it('a member that fails is reported, and the members after it are read', async () => {
    const { posts, diagnostics } = await streamed([tarOf({ 'bad.txt': Buffer.from([0xff, 0xfe, 0xfd, 0x80, 0x81]), 'seed.txt': seed })], { source: 'a.tar' });
    expect(posts).toHaveLength(8);
    expect(diagnostics.find((d) => d.severity === 'error')?.source).toBe('a.tar:bad.txt');
  });

  it('a cut-off archive: the members before the cut, then one CORRUPT_INPUT error', async () => {
    const tar = tarOf({ 'a.txt': seed, 'b.txt': seed });
    const { posts, error } = await streamed([tar.subarray(0, 512 + 512 * Math.ceil(seed.length / 512) + 600)], { source: 'cut.tar' });
    expect(posts.length).toBeGreaterThanOrEqual(8);
    expect(error?.diagnostic).toMatchObject({ code: 'CORRUPT_INPUT', source: 'cut.tar' });
    expect(error?.diagnostic.detail).toMatch(/^tar data is damaged: truncated input/);
  });

  it("a member's address, from its container, is an article's url when the page names none", async () => {
    const page = article
      .toString('utf8')
      .replace(/<link rel="canonical"[^>]*>/u, '')
      .replace(/<meta property="og:url"[^>]*>/u, '')
      .replace(/<!-- saved from url=[^>]*-->/u, '');
    const records = [];
    for await (const batch of readRecords(Readable.from([Buffer.from(page)]), {
      source: 'capture',
      found: true,
      url: 'https://spaces.ac.cn/archives/9119?x=1',
    }))
      records.push(...batch.map(toPost));
    expect(records.map((p) => [p.url, p.id])).toEqual([['https://kexue.fm/archives/9119', 9119]]);
  });
});
