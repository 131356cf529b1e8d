import { createRequire } from 'node:module';
import type { CheerioAPI } from 'cheerio/slim';
import type * as CheerioSlim from 'cheerio/slim';
import type { AnyNode, Document, Element } from 'domhandler';
import { diagnostic } from '../diagnostics.js';
import { parseHeader, type Header } from '../parse/header.js';
import type { Diagnostic, Post } from '../types.js';
import { isTag, pushReversed } from './dom.js';
import { hasClass, inlineText, textLines, type TextLine } from './html-text.js';
import { absoluteUrl, archiveId } from './links.js';

/** What a saved page holds: the posts of a kexue.fm listing or article page, or else its visible text. */
export type Page = { layout: 'listing' | 'article'; posts: Post[] } | { layout: 'text'; lines: PageLine[] };

/** A line of a page's visible text, with the 1-based line of the page's source it comes from. */
export interface PageLine {
  text: string;
  line: number;
  /** The absolute address of the link the whole line is, else null. */
  href: string | null;
}

const POST = new Set(['Post']);
const SUBMITTED = new Set(['submitted']);
// SPEC §6: what surrounds an article's body, and the sidebars. Tested per element by id and class,
// as the text walk meets them: a selector query would walk the whole page once more.
const NOISE_IDS = new Set(['content_tips', 'pay', 'QR', 'how_to_cite', 'similar', 'entrynavigation', 'PostComment', 'Sidebar']);
const NOISE_CLASSES = new Set(['cite_style', 'MobileSideBar']);
// A page of another theme is read whole, but for its chrome (and the noise above): navigation and
// sidebars, and a header or footer outside a post (an article's own header holds its title).
const OTHER_NOISE = new Set(['nav', 'aside']);
const OUTSIDE_A_POST = new Set(['header', 'footer']);
const CITE = '引用';
const TITLE_SUFFIX = /(?<!\s)\s+-\s+科学空间\|Scientific Spaces\s*$/;
const SAVED_FROM = /<!-- saved from url=\(\d+\)(\S+?) -->/;

/**
 * Reads a saved page: a listing (each `div.Post` a post), an article (`#PostContent`), or, for a
 * page without either, its visible text for the text parser. Meta lines (`span.submitted`) go
 * through the text dump's header grammar. A post that cannot be read is a warning. Relative links
 * resolve against `base`, the page's address when its container records it, else https://kexue.fm.
 */
export function readPage(html: string, source: string, report: (d: Diagnostic) => void, base: string | null = null): Page {
  const $ = cheerio();
  // cheerio reads a string as markup only when its first `<` opens a tag or a comment (else as a
  // selector, which may throw): an empty comment first makes every page markup. It holds no line
  // break, so source positions keep their line numbers.
  const marked = `<!---->${html}`;
  const doc = ($(marked)[0] as AnyNode).parent as Document;
  const lines = new LineIndex(marked);
  // One walk over the page finds both layouts' elements: `#PostContent` and every `div.Post`.
  const found = descendants(doc.children, (el) => el.attribs.id === 'PostContent' || isPost(el));
  const body = found.find((el) => el.attribs.id === 'PostContent');
  const listed = found.filter(isPost);
  const page: PageReader = { $, html, source, lines, report, base };
  if (body !== undefined) {
    const post = articlePost(page, doc, body);
    return { layout: 'article', posts: post === null ? [] : [post] };
  }
  if (listed.length > 0) return { layout: 'listing', posts: listed.flatMap((el) => listingPost(page, el) ?? []) };
  // `<main>` marks the page's content, where it has one.
  const main = descendants(doc.children, (el) => el.name === 'main');
  const text = textLines(main.length > 0 ? main : [doc], { skip: (el) => isNoise(el) || isChrome(el) });
  return { layout: 'text', lines: text.map((l) => ({ text: l.text, line: lines.line(l.at), href: l.href === null ? null : absoluteUrl(l.href, base) })) };
}

/**
 * The text of an HTML fragment (a feed item's content) by the rules of a page body: one line per
 * block, `$...$` math, the page's noise dropped; as lines (`inline`: one line, for a title).
 */
export function fragmentText(html: string, inline = false): string {
  const $ = cheerio();
  const doc = ($(`<!---->${html}`)[0] as AnyNode).parent as Document;
  if (inline) return inlineText([doc]);
  return textLines([doc], { skip: (e) => isNoise(e) || isCite(e) })
    .map((l) => l.text)
    .join('\n');
}

interface PageReader {
  $: CheerioAPI;
  html: string;
  source: string;
  lines: LineIndex;
  report(d: Diagnostic): void;
  base: string | null;
}

function isNoise(el: Element): boolean {
  const id = el.attribs.id;
  return (id !== undefined && NOISE_IDS.has(id)) || hasClass(el, NOISE_CLASSES);
}

const isPost = (el: Element): boolean => el.name === 'div' && hasClass(el, POST);

/** The chrome of a page of another theme: `<nav>`, `<aside>`, and `<header>` or `<footer>` but inside an `<article>`. */
function isChrome(el: Element): boolean {
  if (OTHER_NOISE.has(el.name)) return true;
  if (!OUTSIDE_A_POST.has(el.name)) return false;
  for (let p = el.parent; p !== null; p = p.parent) if (isTag(p) && p.name === 'article') return false;
  return true;
}

/**
 * One `div.Post` of a listing: title and link from `h2 a`, the meta line `span.submitted`, the
 * excerpt up to the "more" break. Found by plain walks, not selectors: cheerio parses and compiles
 * a selector at each call, and these run for every post of thousands of pages.
 */
function listingPost(page: PageReader, el: Element): Post | null {
  const hasLink = (e: Element): boolean => e.name === 'a';
  const heading = descendants(el.children, (e) => e.name === 'h2' && descendants(e.children, hasLink).length > 0)[0];
  const link = heading === undefined ? undefined : descendants(heading.children, hasLink)[0];
  const meta = descendants(el.children, (e) => e.name === 'span' && hasClass(e, SUBMITTED))[0];
  const header = readHeader(page, el, link === undefined ? [] : [link], meta);
  if (header === null) return null;
  const excerpt = textLines(el.children, { skip: (e) => e === heading || e === meta || isCite(e), stopAtMore: true });
  return post(page, header, excerpt, absoluteUrl(link?.attribs.href ?? '', page.base), el);
}

/** The elements under `nodes` that pass `test`, in document order. */
function descendants(nodes: readonly AnyNode[], test: (el: Element) => boolean): Element[] {
  const found: Element[] = [];
  // A stack, not recursion: a page of unclosed tags nests thousands deep.
  const stack: AnyNode[] = [];
  pushReversed(stack, nodes);
  while (stack.length > 0) {
    const node = stack.pop() as AnyNode;
    if (!isTag(node)) continue;
    if (test(node)) found.push(node);
    pushReversed(stack, node.children);
  }
  return found;
}

/** An article page: the title, the meta line, the whole body; categories from the breadcrumb, tags from tag links. */
function articlePost(page: PageReader, doc: Document, body: Element): Post | null {
  const { $ } = page;
  const root = $(doc);
  const el = ($(body).closest('div.Post')[0] as Element | undefined) ?? body;
  const heading = root.find('.PostHead h1:first');
  const titled = heading.length > 0 ? heading : $(el).find('h1:first');
  const fromMeta = $(el).find('.submitted:first');
  const meta = (fromMeta.length > 0 ? fromMeta : root.find('.submitted:first'))[0];
  // As any title, one line with its white space collapsed (the element's raw text may run over lines).
  const pageTitle = inlineText(root.find('title:first').contents().toArray()).replace(TITLE_SUFFIX, '').trim();
  const header = readHeader(page, el, titled.toArray(), meta, pageTitle);
  if (header === null) return null;
  const excerpt = textLines([body], { skip: (e) => isNoise(e) || isCite(e) });
  const href =
    root.find('link[rel="canonical"]').attr('href') ?? root.find('meta[property="og:url"]').attr('content') ?? SAVED_FROM.exec(page.html.slice(0, 4096))?.[1];
  const outside = (a: Element): boolean => !$(a).parents().toArray().some(isNoise);
  const texts = (links: Element[]): string[] => [...new Set(links.map((a) => inlineText([a])).filter((t) => t !== ''))];
  return {
    ...post(page, header, excerpt, href === undefined ? null : absoluteUrl(href, page.base), el),
    // The breadcrumb starts at the home page and may end at the post itself: neither is a category.
    categories: texts(
      root
        .find('#breadcrumb a')
        .slice(1)
        .toArray()
        .filter((a) => archiveId(absoluteUrl(a.attribs.href ?? '', page.base)) === null),
    ),
    tags: texts(root.find('a[href*="/tag/"]').toArray().filter(outside)),
  };
}

interface Heading {
  title: string;
  header: Header;
}

/** A post's title and its meta line through the header grammar; a warning and null when either is missing or broken. */
function readHeader(page: PageReader, el: Element, titleNodes: AnyNode[], meta: Element | undefined, fallbackTitle = ''): Heading | null {
  const title = inlineText(titleNodes) || fallbackTitle;
  const skip = (reason: string): null => {
    page.report(diagnostic('SKIPPED_POST', 'warning', page.source, `${title === '' ? 'a post' : `"${title}"`} ${reason}`, page.lines.line(el.startIndex ?? 0)));
    return null;
  };
  if (title === '') return skip('has no title');
  if (meta === undefined) return skip('has no meta line (span.submitted)');
  const line = inlineText([meta]);
  const result = parseHeader(line);
  if (result === null) return skip(`has a meta line "${line}" that is not "By <author> | <date> | <N>位读者"`);
  if ('broken' in result) return skip(`has a meta line "${line}" that ${result.broken}`);
  return { title, header: result.header };
}

function post(page: PageReader, { title, header }: Heading, excerpt: TextLine[], url: string | null, el: Element): Post {
  return {
    title,
    author: header.author,
    date: header.date,
    readers: header.readers,
    excerpt: excerpt.map((l) => l.text).join('\n'),
    url,
    id: archiveId(url),
    source: page.source,
    line: page.lines.line(el.startIndex ?? 0),
  };
}

/** The `引用` (cite) link next to the meta line. */
function isCite(el: Element): boolean {
  return el.name === 'a' && inlineText(el.children) === CITE;
}

let loaded: CheerioAPI | undefined;

/**
 * cheerio, loaded on the first page (a text dump never pays for it), synchronously so that
 * `parse()` stays synchronous. Its htmlparser2 build: several times faster than parse5 on saved
 * pages, and it gives each node's source position. One instance for every page: `load` per page
 * would define a class per page, which keeps each page's tree alive into costly full collections.
 */
function cheerio(): CheerioAPI {
  if (loaded === undefined) {
    const require = createRequire(import.meta.url);
    const { load } = require('cheerio/slim') as typeof CheerioSlim;
    // `withStartIndices` is htmlparser2's option, which cheerio's option type does not list.
    loaded = load('', { withStartIndices: true } as Parameters<typeof load>[1]);
  }
  return loaded;
}

/** 1-based line numbers of string indices, lines ended by LF, CRLF or a lone CR (as the text parser counts them). */
class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    const ends = text.includes('\r') ? /\r\n?|\n/g : /\n/g;
    for (const m of text.matchAll(ends)) this.starts.push(m.index + m[0].length);
  }

  line(index: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] as number) <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
}
