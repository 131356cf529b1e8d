/**
 * Saved pages made to hurt (issue 16): nesting that made the parse quadratic, and pages whose tree
 * would not fit in memory. Time is compared as a ratio of CPU time in one run (never a fixed time):
 * a page four times the size must take about four times as long.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from '../src/index.js';
import { readPage } from '../src/input/html.js';
import type { Element } from '../src/input/dom.js';
import { isMathCopy } from '../src/input/html-text.js';
import { MAX_DEPTH, MAX_NODES, PageTreeBuilder } from '../src/input/html-tree.js';
import { RecordReader } from '../src/input/read-by-kind.js';
import { toPost } from '../src/record.js';
import { postdumpErrorOf } from './helpers/errors.js';

const META = 'By 苏剑林 | 2021-01-22 | 81957位读者';
const POST = `<div class="Post"><h2><a href="/archives/1">T</a></h2><span class="submitted">${META}</span>`;

/** CPU time of reading a page, in ms (what other processes do to this one shows less in it than in wall time). */
function cpuMs(html: string): number {
  const start = process.cpuUsage();
  parse(html, { inputType: 'html' });
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/**
 * How much longer a page of 4n units takes than one of n: about 4 when the work is linear, 16 when
 * it is quadratic. Four times the size, not two, keeps the two apart through the noise of a loaded
 * machine (a doubling measured 3.3 once, for linear work).
 */
function growth(page: (n: number) => string, n: number): number {
  const small = page(n);
  const large = page(4 * n);
  // Warm: the first parses run before the JIT has compiled the parser.
  cpuMs(large);
  // The least of a few runs each, interleaved so that both sizes see the same load.
  let [t1, t4] = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
  for (let round = 0; round < 2; round++) {
    t1 = Math.min(t1, cpuMs(small));
    t4 = Math.min(t4, cpuMs(large));
  }
  return t4 / t1;
}

describe('pages nested deep are read in linear time', () => {
  const shapes: Record<string, (n: number) => string> = {
    'nested <div>s, closed': (n) => `<html><body>${'<div>'.repeat(n)}x${'</div>'.repeat(n)}</body></html>`,
    'unclosed <div><p>': (n) => `<html><body>${'<div><p>'.repeat(n)}`,
    'unclosed <svg>': (n) => `<html><body>${'<svg>'.repeat(n)}`,
    'posts nested in posts': (n) => `<html><body>${`${POST}<p>正文</p>`.repeat(n / 4)}`,
    'links nested in a post': (n) => `<html><body>${POST}${'<a href="#">'.repeat(n)}`,
    'headings nested in a post': (n) => `<html><body><div class="Post">${'<h2><a href="/a">x</a>'.repeat(n / 2)}`,
    'an article of nested headings and tag links': (n) =>
      `<html><body><div id="PostContent"><span class="submitted">${META}</span><div class="PostHead">${'<h1><a href="/tag/t">t</a>'.repeat(n / 2)}`,
    // Pages of another theme: each <main> was read again inside the one around it, and each header
    // looked for an <article> around it all the way up.
    'nested <main>s': (n) => `<html><body>${'<main><p>x</p>'.repeat(n / 3)}`,
    'headers deep in an article': (n) => `<html><body><article>${'<div>'.repeat(MAX_DEPTH)}${'<header>h</header>'.repeat(n / 2)}`,
  };

  it.each(Object.entries(shapes))('%s', (_name, page) => {
    // Measured: 2.9 to 4.4 (8 allows about 2.8 × per doubling). Without the depth bound, 30,000
    // elements took 4 to 8 times as long as 15,000, and 160,000 minutes.
    expect(growth(page, 30_000)).toBeLessThan(8);
  });
});

/** A node of postdump's tree or of domhandler's: the two are compared. */
interface TreeNode {
  type: string;
  children?: readonly TreeNode[];
}

/** Each element's depth below the document, in document order. */
function depths(nodes: readonly TreeNode[], depth = 1, out: number[] = []): number[] {
  const stack: Array<[TreeNode, number]> = nodes.map((n): [TreeNode, number] => [n, depth]).reverse();
  while (stack.length > 0) {
    const [node, d] = stack.pop() as [TreeNode, number];
    if (node.type !== 'tag' || node.children === undefined) continue;
    out.push(d);
    for (let i = node.children.length - 1; i >= 0; i--) stack.push([node.children[i] as TreeNode, d + 1]);
  }
  return out;
}

function pageTree(html: string) {
  const builder = new PageTreeBuilder('p.html');
  builder.write(html);
  return builder.end();
}

const tree = (html: string) => pageTree(html).doc;

describe('the nesting bound', () => {
  it(`nests elements ${MAX_DEPTH} deep, as browsers do; past that, each opens beside the innermost`, () => {
    const found = depths(tree('<div>'.repeat(MAX_DEPTH + 100)).children);
    expect(found).toHaveLength(MAX_DEPTH + 100);
    expect(found.reduce((a, b) => Math.max(a, b), 0)).toBe(MAX_DEPTH);
    expect(found.slice(0, MAX_DEPTH)).toEqual(Array.from({ length: MAX_DEPTH }, (_, i) => i + 1));
    expect(new Set(found.slice(MAX_DEPTH))).toEqual(new Set([MAX_DEPTH]));
  });

  it('leaves a page within the bound as htmlparser2 builds it', async () => {
    const { parseDocument } = await import('htmlparser2');
    const page = `<html><body>${'<div><p>a<b>b'.repeat(150)}${'</b></div>'.repeat(100)}<p>end</p></body></html>`;
    expect(depths(tree(page).children)).toEqual(depths(parseDocument(page).children));
  });

  it('reads posts nested in posts each once; past the bound, a post whose title opens beside it is skipped with a warning', () => {
    const deep = `<html><body>${`${POST}<p>正文</p>`.repeat(MAX_DEPTH)}`;
    const { posts, diagnostics } = parse(deep, { inputType: 'html' });
    // A post inside another is a post of its own, not part of the outer one's excerpt.
    expect(new Set(posts.map((p) => p.excerpt))).toEqual(new Set(['正文']));
    const skipped = diagnostics.filter((d) => d.code === 'SKIPPED_POST');
    expect(posts.length).toBeGreaterThan(MAX_DEPTH / 4);
    expect(posts.length + skipped.length).toBe(MAX_DEPTH);
  });
});

/**
 * A tree as nested arrays of what postdump's readers see: type, name, attributes, text, start;
 * a math copy without what it holds, which postdump's tree leaves out.
 */
function shape(nodes: readonly DomNode[]): unknown[] {
  // domhandler keeps the doctype and processing instructions, which postdump only counts.
  return nodes
    .filter((n) => n.type !== 'directive')
    .map((n) => [
      n.type,
      n.name,
      n.attribs,
      n.data,
      n.startIndex,
      n.children === undefined ? null : n.type === 'tag' && isMathCopy(n as unknown as Element) ? [] : shape(n.children),
    ]);
}

/** How many nodes postdump counts in domhandler's tree: elements, their attributes, texts, comments, the doctype. */
function nodeCount(nodes: readonly DomNode[]): number {
  return nodes.reduce((n, node) => n + 1 + Object.keys(node.attribs ?? {}).length + nodeCount(node.children ?? []), 0);
}

interface DomNode {
  type: string;
  name?: string;
  attribs?: Record<string, string>;
  data?: string;
  startIndex: number | null;
  children?: readonly DomNode[];
}

describe("the page's tree", () => {
  const folders = ['fixtures/html', 'fixtures/fuzz'];
  const pages = folders.flatMap((dir) =>
    readdirSync(dir)
      .filter((name) => name.endsWith('.html'))
      .map((name) => `${dir}/${name}`),
  );
  const snippets = [
    'a<!DOCTYPE html>b<?xml x?>c<!-- c -->d<![CDATA[e]]>f',
    '<p>a<span class="MathJax" id="m"><span class="x" a=1 a=2>t<!-- c -->u &amp; &lt;u<b>v</b>w</span><img class="MathJax"></span><script type="math/tex">x</script>b</p>',
    '<div class="MathJax_Display"><span class="MathJax">x<div class="Post">y</div></span></div><mjx-container><i>z</i></mjx-container>',
    '<p>x &amp; y &lt;z&gt; &nbsp;</p><script>if (a < b) {}</script><style>p > a {}</style>',
    '<svg><foreignObject><p>in</p></foreignObject><path d="M0"/></svg><math><mi>x</mi></math>',
    '<table><tr><td>a<td>b</table><p>un<b>closed<i>tags</p>text',
  ];

  it.each([...pages.map((path) => [path, readFileSync(path, 'utf8')]), ...snippets.map((html) => [html, html])])(
    "is domhandler's, node for node: %s",
    async (_name, html) => {
      const { parseDocument } = await import('htmlparser2');
      const ours = shape(pageTree(html).doc.children as unknown as DomNode[]);
      expect(ours).toEqual(shape(parseDocument(html, { withStartIndices: true }).children as unknown as DomNode[]));
    },
  );

  it.each([...pages, ...snippets])('counts the nodes domhandler makes, those inside math copies too: %s', async (page) => {
    const html = page.startsWith('fixtures/') ? readFileSync(page, 'utf8') : page;
    const { parseDocument } = await import('htmlparser2');
    const nodes = nodeCount(parseDocument(html).children as unknown as DomNode[]);
    const within = new PageTreeBuilder('p.html', nodes);
    within.write(html);
    within.end();
    const past = new PageTreeBuilder('p.html', nodes - 1);
    expect(() => {
      past.write(html);
      past.end();
    }).toThrow();
  });
});

describe('a page of another theme', () => {
  const lines = (html: string): string[] => {
    const page = readPage(pageTree(html), 'p.html', () => {});
    return page.layout === 'text' ? page.lines.map((l) => l.text) : [];
  };

  it('a <main> inside another is read once, with it (each was read again, up to 512 times)', () => {
    expect(lines('<html><body><nav>n</nav><main><p>a</p><main><p>b</p><main><p>c</p></main></main></main>')).toEqual(['a', 'b', 'c']);
    expect(lines(`<html><body>${'<main><p>x</p>'.repeat(2 * MAX_DEPTH)}`)).toEqual(Array.from({ length: 2 * MAX_DEPTH }, () => 'x'));
  });

  it('its chrome is left out: nav, aside, and a header or footer but inside an article', () => {
    const page = '<html><body><header>site</header><article><header>title</header><p>body</p><footer>by</footer></article><aside>a</aside><footer>end</footer>';
    expect(lines(page)).toEqual(['title', 'body', 'by']);
  });
});

describe('the size of a page', () => {
  it(`more than ${MAX_NODES.toLocaleString('en-US')} nodes (a page of dense markup) is PAGE_TOO_LARGE, before its tree fills memory`, () => {
    const error = postdumpErrorOf(() => parse(`<html><body>${'<br>'.repeat(MAX_NODES)}`, { source: 'dense.html' }));
    expect(error.diagnostic).toMatchObject({
      code: 'PAGE_TOO_LARGE',
      source: 'dense.html',
      detail: '1,000,000 nodes (elements, attributes, texts, comments)',
      args: { limit: MAX_NODES, of: 'nodes' },
    });
    // The library's message names its option; the command line's, its flag.
    expect(error.message).toBe(
      "dense.html: HTML page larger than 1,000,000 nodes (elements, attributes, texts, comments), which is read whole; is this really a saved page? (inputType: 'text' reads it as a text dump)",
    );
  }, 30_000);

  it('more than 16 MiB is PAGE_TOO_LARGE', () => {
    const reader = new RecordReader({ source: 'big.html' });
    const error = postdumpErrorOf(() => {
      reader.push('<html><body>');
      for (let i = 0; i < 17; i++) reader.push(`<p>${'x'.repeat(1 << 20)}</p>`);
      reader.end();
    });
    expect(error.diagnostic).toMatchObject({ code: 'PAGE_TOO_LARGE', detail: '16 MiB' });
  });

  it('the node limit is an option of the reader', () => {
    const reader = new RecordReader({ source: 'p.html', maxPageNodes: 100 });
    const error = postdumpErrorOf(() => {
      reader.push(`<html><body>${'<p>x</p>'.repeat(60)}`);
      reader.end();
    });
    expect(error.diagnostic.detail).toBe('100 nodes (elements, attributes, texts, comments)');
  });
});

describe("a feed item's HTML", () => {
  const feed = (content: string): string => `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><link>https://kexue.fm</link>
<item><title>T</title><link>https://kexue.fm/archives/1</link><pubDate>Mon, 13 Jun 2022 23:52:17 +0800</pubDate><dc:creator>苏剑林</dc:creator>
<content:encoded><![CDATA[${content}]]></content:encoded></item></channel></rss>`;

  it('is built into a tree as a page is, within its node limit, naming the feed', () => {
    const read = (content: string, maxPageNodes?: number): string[] => {
      const reader = new RecordReader({ source: 'f.rss', ...(maxPageNodes === undefined ? {} : { maxPageNodes }) });
      return [...reader.push(feed(content)), ...reader.end()].map((p) => toPost(p).excerpt);
    };
    expect(read(`${'<div>'.repeat(2 * MAX_DEPTH)}正文`)).toEqual(['正文']);
    const error = postdumpErrorOf(() => read('<p>x</p>'.repeat(60), 100));
    expect(error.diagnostic).toMatchObject({ code: 'PAGE_TOO_LARGE', source: 'f.rss', detail: '100 nodes (elements, attributes, texts, comments)' });
  });
});
