import { diagnostic } from '../diagnostics.js';
import { parseHeader, type Header } from '../parse/header.js';
import type { Diagnostic, Post, PostFault } from '../types.js';
import { type AnyNode, type Document, type Element, descendants, hasAtMostNodes, isTag, walkElements } from './dom.js';
import { hasClass, inlineText, textLines, type TextLine } from './html-text.js';
import { MAX_NODES, PageTreeBuilder, type LineIndex, type PageTree } from './html-tree.js';
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
const POST_HEAD = new Set(['PostHead']);
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
export function readPage(tree: PageTree, source: string, report: (d: Diagnostic) => void, base: string | null = null): Page {
  const { doc, lines } = tree;
  // One walk over the page finds both layouts' elements: `#PostContent` and every `div.Post`.
  const found = descendants(doc.children, (el) => el.attribs.id === 'PostContent' || isPost(el));
  const body = found.find((el) => el.attribs.id === 'PostContent');
  const listed = found.filter(isPost);
  const page: PageReader = { head: tree.head, source, lines, report, base };
  if (body !== undefined) {
    const post = articlePost(page, doc, body);
    return { layout: 'article', posts: post === null ? [] : [post] };
  }
  if (listed.length > 0) return { layout: 'listing', posts: listed.flatMap((el) => listingPost(page, el) ?? []) };
  // `<main>` marks the page's content, where it has one.
  const { main, chrome } = otherTheme(doc);
  const text = textLines(main.length > 0 ? main : [doc], { skip: (el) => isNoise(el) || chrome.has(el) });
  return { layout: 'text', lines: text.map((l) => ({ text: l.text, line: lines.line(l.at), href: l.href === null ? null : absoluteUrl(l.href, base) })) };
}

/**
 * The text of an HTML fragment (a feed item's content) by the rules of a page body: one line per
 * block, `$...$` math, the page's noise dropped; as lines (`inline`: one line, for a title). Its
 * tree is a page's, within a page's limits (`maxNodes`); `source` names the input in the error past them.
 */
export function fragmentText(
  html: string,
  source: string,
  { inline = false, maxNodes = MAX_NODES }: { inline?: boolean; maxNodes?: number | undefined } = {},
): string {
  const tree = new PageTreeBuilder(source, maxNodes);
  tree.write(html);
  const { doc } = tree.end();
  if (inline) return inlineText([doc]);
  return textLines([doc], { skip: (e) => isNoise(e) || isCite(e) })
    .map((l) => l.text)
    .join('\n');
}

interface PageReader {
  /** The page's first characters. */
  head: string;
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

// What `walkElements` hands down in `otherTheme`: which of these an element is inside.
const IN_MAIN = 1;
const IN_ARTICLE = 2;

/**
 * A page of another theme, in one walk: its outermost `<main>`s (one inside another is read with
 * it, not again), and its chrome: `<nav>`, `<aside>`, and `<header>` or `<footer>` but inside an
 * `<article>`.
 */
function otherTheme(doc: Document): { main: Element[]; chrome: Set<Element> } {
  const main: Element[] = [];
  const chrome = new Set<Element>();
  walkElements(doc.children, 0, (el, inside) => {
    if (el.name === 'main' && !(inside & IN_MAIN)) main.push(el);
    if (OTHER_NOISE.has(el.name) || (OUTSIDE_A_POST.has(el.name) && !(inside & IN_ARTICLE))) chrome.add(el);
    return inside | (el.name === 'main' ? IN_MAIN : 0) | (el.name === 'article' ? IN_ARTICLE : 0);
  });
  return { main, chrome };
}

/**
 * One `div.Post` of a listing: title and link from `h2 a`, the meta line `span.submitted`, the
 * excerpt up to the "more" break. A `div.Post` inside it is a post of its own, left out of this
 * one's search and text, so that each element is read for one post only however posts nest.
 */
function listingPost(page: PageReader, el: Element): Post | null {
  // The first link inside an h2: it is the first link of the first h2 that has one.
  let heading: Element | undefined;
  let link: Element | undefined;
  let meta: Element | undefined;
  walkElements<Element | undefined>(el.children, undefined, (e, h2) => {
    if (isPost(e)) return null;
    if (link === undefined && h2 !== undefined && e.name === 'a') {
      heading = h2;
      link = e;
    }
    if (meta === undefined && e.name === 'span' && hasClass(e, SUBMITTED)) meta = e;
    return h2 ?? (e.name === 'h2' ? e : undefined);
  });
  const header = readHeader(page, el, link === undefined ? [] : [link], meta, '', isPost);
  if (header === null) return null;
  const excerpt = textLines(el.children, { skip: (e) => e === heading || e === meta || isCite(e) || isPost(e), stopAtMore: true });
  return post(page, header, excerpt, absoluteUrl(link?.attribs.href ?? '', page.base), el);
}

/** What an article page holds outside its body, found in one walk over the page. */
interface ArticleParts {
  /** The first `.PostHead h1`, the first `title`, the first `.submitted`. */
  heading?: Element;
  title?: Element;
  submitted?: Element;
  /** The `href` of the first `link[rel=canonical]`, the `content` of the first `meta[property="og:url"]` (null: no such element). */
  canonical: string | undefined | null;
  ogUrl: string | undefined | null;
  /** Links inside `#breadcrumb`; links to tags (`/tag/` in the address) outside the noise around the body. */
  breadcrumb: Element[];
  tags: Element[];
}

// What `walkElements` hands down in `articleParts`: which of these an element is inside.
const IN_POST_HEAD = 1;
const IN_BREADCRUMB = 2;
const IN_NOISE = 4;

function articleParts(doc: Document): ArticleParts {
  const parts: ArticleParts = { canonical: null, ogUrl: null, breadcrumb: [], tags: [] };
  walkElements(doc.children, 0, (el, inside) => {
    const { name, attribs } = el;
    if (name === 'h1' && inside & IN_POST_HEAD) parts.heading ??= el;
    if (name === 'title') parts.title ??= el;
    if (hasClass(el, SUBMITTED)) parts.submitted ??= el;
    // HTML compares a `rel` value without regard to case.
    if (name === 'link' && parts.canonical === null && attribs.rel?.toLowerCase() === 'canonical') parts.canonical = attribs.href;
    if (name === 'meta' && parts.ogUrl === null && attribs.property === 'og:url') parts.ogUrl = attribs.content;
    if (name === 'a' && inside & IN_BREADCRUMB) parts.breadcrumb.push(el);
    if (name === 'a' && !(inside & IN_NOISE) && attribs.href?.includes('/tag/')) parts.tags.push(el);
    return inside | (hasClass(el, POST_HEAD) ? IN_POST_HEAD : 0) | (attribs.id === 'breadcrumb' ? IN_BREADCRUMB : 0) | (isNoise(el) ? IN_NOISE : 0);
  });
  return parts;
}

/** An article page: the title, the meta line, the whole body; categories from the breadcrumb, tags from tag links. */
function articlePost(page: PageReader, doc: Document, body: Element): Post | null {
  const parts = articleParts(doc);
  const el = enclosingPost(body) ?? body;
  const titled = parts.heading ?? descendants(el.children, (e) => e.name === 'h1')[0];
  const meta = descendants(el.children, (e) => hasClass(e, SUBMITTED))[0] ?? parts.submitted;
  // As any title, one line with its white space collapsed (the element's raw text may run over lines).
  const pageTitle = inlineText(parts.title?.children ?? [])
    .replace(TITLE_SUFFIX, '')
    .trim();
  const header = readHeader(page, el, titled === undefined ? [] : [titled], meta, pageTitle);
  if (header === null) return null;
  const excerpt = textLines([body], { skip: (e) => isNoise(e) || isCite(e) });
  const href = parts.canonical ?? parts.ogUrl ?? SAVED_FROM.exec(page.head)?.[1];
  const texts = (links: Element[]): string[] => [...new Set(links.map((a) => inlineText([a])).filter((t) => t !== ''))];
  return {
    ...post(page, header, excerpt, href === undefined ? null : absoluteUrl(href, page.base), el),
    // The breadcrumb starts at the home page and may end at the post itself: neither is a category.
    categories: texts(parts.breadcrumb.slice(1).filter((a) => archiveId(absoluteUrl(a.attribs.href ?? '', page.base)) === null)),
    tags: texts(parts.tags),
  };
}

/** The `div.Post` that is `el` or holds it. */
function enclosingPost(el: Element): Element | undefined {
  for (let node: AnyNode | null = el; node !== null; node = node.parent) if (isTag(node) && isPost(node)) return node;
  return undefined;
}

interface Heading {
  title: string;
  header: Header;
}

/**
 * A post's title and its meta line through the header grammar, leaving out the elements `ignore`
 * names; a warning and null when either is missing or broken.
 */
function readHeader(
  page: PageReader,
  el: Element,
  titleNodes: AnyNode[],
  meta: Element | undefined,
  fallbackTitle: string,
  ignore: (el: Element) => boolean = () => false,
): Heading | null {
  const title = inlineText(titleNodes, ignore) || fallbackTitle;
  const skip = (fault: PostFault): null => {
    page.report(diagnostic('SKIPPED_POST', 'warning', page.source, { of: 'post', title, ...fault }, page.lines.line(el.startIndex ?? 0)));
    return null;
  };
  if (title === '') return skip({ fault: 'no-title' });
  if (meta === undefined) return skip({ fault: 'no-meta' });
  const line = inlineText([meta], ignore);
  const result = parseHeader(line);
  if (result === null) return skip({ fault: 'meta', meta: line, header: null });
  if ('broken' in result) return skip({ fault: 'meta', meta: line, header: result.broken });
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

/** The `引用` (cite) link next to the meta line (a few nodes at most: its text is not read for every link a page nests). */
function isCite(el: Element): boolean {
  return el.name === 'a' && hasAtMostNodes(el, 8) && inlineText(el.children) === CITE;
}
