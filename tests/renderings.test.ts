/**
 * Every committed rendering of every fixture page (fixtures/renderers/PAGE/RENDERER.txt|md, made by
 * the real tools: fixtures/renderers/README.md) gives its page's expected records (SPEC §10).
 *
 * For each rendering: the records against `expectedPosts` (`recordProblems`: every field, the
 * excerpt as text, url and id where the rendering carries them); our exact output against its
 * golden file (fixtures/renderers/parsed/PAGE/RENDERER.json: records and diagnostics, refreshed with
 * `npx vitest run tests/renderings.test.ts -u` and read like code); the layout `check -v` names;
 * every line in a post or a skipped range (tests/helpers/conservation.ts); the same result however
 * the bytes arrive.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectedPosts, pageTruth } from '../scripts/rendered-records.js';
import { recordProblems } from '../scripts/rendered-records.js';
import { PAGES, RENDERERS, renderingPath } from '../scripts/renderers.js';
import { parse, parseStream, type Diagnostic, type ParseResult, type Post } from '../src/index.js';
import { runCli } from './helpers/cli.js';
import { unaccounted } from './helpers/conservation.js';

/** The layout each renderer's output is read as (`check -v`), or null for a plain copy. lynx -nolist and links look alike until they differ. */
const LAYOUTS: Record<string, readonly (string | null)[]> = {
  'lynx-dump': ['lynx -dump'],
  'lynx-dump-nolist': ['lynx -dump -nolist', 'lynx -dump -nolist or links -dump'],
  'w3m-dump': ['w3m -dump'],
  'links-dump': ['links -dump', 'lynx -dump -nolist or links -dump'],
  'elinks-dump': ['elinks -dump'],
  html2text: ['html2text'],
  'pandoc-plain': ['pandoc -t plain'],
  'pandoc-gfm': ['Markdown (pandoc -t gfm)'],
  'chromium-innertext': [null],
  'obsidian-clipper': ['Markdown (Obsidian Web Clipper)'],
  markdownload: ['Markdown (MarkDownload)'],
};

async function streamed(bytes: Buffer, size: number, source: string): Promise<ParseResult> {
  const diagnostics: Diagnostic[] = [];
  const posts: Post[] = [];
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (let i = 0; i < bytes.length; i += size) yield new Uint8Array(bytes.subarray(i, i + size));
  }
  for await (const post of parseStream(chunks(), { source, onDiagnostic: (d) => diagnostics.push(d) })) posts.push(post);
  return { posts, diagnostics };
}

const layoutOf = (r: ParseResult): string | null =>
  r.diagnostics.find((d) => d.code === 'TEXT_LAYOUT')?.detail.replace(/ layout(?:, \d+ links?)?$/u, '') ?? null;

describe.each(PAGES.map((p) => [p.name, p] as const))('%s', (_name, page) => {
  const truth = pageTruth(page);
  describe.each(RENDERERS.map((r) => [r.name, r] as const))('rendered by %s', (_r, renderer) => {
    const source = renderingPath(page, renderer);
    const bytes = readFileSync(new URL(`../${source}`, import.meta.url));
    const result = parse(bytes, { source });

    it("gives the page's expected records (fixtures/renderers/expected)", () => {
      expect(recordProblems(result.posts, expectedPosts(truth, renderer))).toEqual([]);
    });

    it('matches its golden file (our exact records and diagnostics)', async () => {
      await expect(`${JSON.stringify(result, null, 2)}\n`).toMatchFileSnapshot(`../fixtures/renderers/parsed/${page.name}/${renderer.name}.json`);
    });

    it(`is read as its renderer's layout (${LAYOUTS[renderer.name]?.join(' / ')})`, () => {
      expect(LAYOUTS[renderer.name]).toContain(layoutOf(result));
    });

    it('loses no line silently: each is in one post or one skipped range, and a post is made of its lines', () => {
      expect(unaccounted(bytes.toString('utf8'), result)).toEqual([]);
    });

    it('gives the same posts and diagnostics fed one byte, then 7 bytes at a time', async () => {
      expect(await streamed(bytes, 1, source)).toEqual(result);
      expect(await streamed(bytes, 7, source)).toEqual(result);
    });
  });
});

describe('check -v names the layout it read', () => {
  it('lynx -dump: the layout and its number of links; no warning for the header-like lines of the sidebar and the comments', () => {
    const r = runCli(['check', '-v', 'fixtures/renderers/article-comments/lynx-dump.txt']);
    expect(r.stdout).toContain('fixtures/renderers/article-comments/lynx-dump.txt: info: lynx -dump layout, 25 links');
    expect(r.stdout).not.toMatch(/warning/u);
    expect(r.status).toBe(0);
  });

  it('a plain copy (Chromium, the seed) names none', () => {
    const r = runCli(['check', '-v', 'fixtures/renderers/listing/chromium-innertext.txt', 'fixtures/seed.txt']);
    expect(r.stdout).not.toMatch(/layout/u);
  });
});

describe('Markdown edge cases the renderings lack', () => {
  const read = (text: string) => {
    const result = parse(Buffer.from(text));
    return { posts: result.posts.map((p) => [p.title, p.excerpt, p.url]), lost: unaccounted(text, result) };
  };

  it('a header is a line of its own even with no blank line before it', () => {
    const text = '## [标题](https://kexue.fm/archives/1)\n\n正文前一行\nBy 苏剑林 \\| 2021-01-01 \\| 100位读者 \\| 引用\n正文。\n';
    expect(read(text)).toEqual({ posts: [['正文前一行', '正文。', null]], lost: [] });
  });

  it('a line no tool wrapped ends its paragraph, and the line right above a header is its title', () => {
    const long = `${'长'.repeat(100)} BERT ${'段'.repeat(10)}`;
    const text = `## [标题](https://kexue.fm/archives/1)\n\nBy 苏剑林 \\| 2021-01-01 \\| 100位读者 \\| 引用\n${long}\n短的一行\n第二篇\nBy 苏剑林 \\| 2021-01-02 \\| 5位读者 \\| 引用\n正文。\n`;
    expect(read(text)).toEqual({
      posts: [
        ['标题', `${long}\n短的一行`, 'https://kexue.fm/archives/1'],
        ['第二篇', '正文。', null],
      ],
      lost: [],
    });
  });

  it('an entity is read as its character, and a number that is no character (a lone surrogate) stays as it is', () => {
    const text = '## [标题](https://kexue.fm/archives/1)\n\nBy 苏剑林 \\| 2021-01-01 \\| 100位读者 \\| 引用 &lt;eos&gt; &#xD800; 正文\n';
    expect(read(text)).toEqual({ posts: [['标题', '<eos> &#xD800; 正文', 'https://kexue.fm/archives/1']], lost: [] });
  });
});
