/**
 * What a perfect parser gives from each rendering of a fixture page, and how a parser's records are
 * held against it (fixtures/renderers/README.md, "The records a rendering must give").
 *
 * The truth of a page is fixtures/renderers/expected/PAGE.json: its posts as the page shows them, the
 * renderers whose renderings carry each post's address, and, for a rendering that lost part of the
 * page, the records that are still in it and why.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Post } from '../src/types.js';
import { type FixturePage, type Renderer, repoRoot } from './renderers.js';

/** A record without `source` and `line` (they name the rendering, not the post) and without enrichment. */
export type ExpectedPost = Pick<Post, 'title' | 'author' | 'date' | 'readers' | 'excerpt' | 'url' | 'id'>;

export interface PageTruth {
  page: string;
  note: string[];
  posts: ExpectedPost[];
  /** Renderers whose rendering of this page carries each post's address (links, a References list, front matter). */
  links: string[];
  /** Renderings that lost part of the page: the records still in them, and why. */
  renderings?: Record<string, { why: string; posts: ExpectedPost[] }>;
}

export function pageTruth(page: FixturePage): PageTruth {
  return JSON.parse(readFileSync(join(repoRoot, 'fixtures/renderers/expected', `${page.name}.json`), 'utf8')) as PageTruth;
}

/** The records a perfect parser gives from this page's rendering by this renderer. */
export function expectedPosts(truth: PageTruth, renderer: Renderer): ExpectedPost[] {
  const own = truth.renderings?.[renderer.name];
  if (own !== undefined) return own.posts;
  const linked = truth.links.includes(renderer.name);
  return truth.posts.map((p) => (linked ? p : { ...p, url: null, id: null }));
}

const MATH = /\$\$[\s\S]+?\$\$|\$[^$\n]+?\$/g;
// A list marker at the start of a line: the page shows it for list items, and prose may start with one ("1. 限制最大长度;").
const LIST_MARKER = /^[ \t]*(?:[*+\-•]|\d+[.)])[ \t]+/gm;

/**
 * An excerpt as the comparison sees it: no list marker at a line's start, and no white space at all.
 * A hard wrap loses whether a space stood where the line was broken: lynx breaks a Latin word that
 * follows Chinese text anywhere ("BER" / "T"), w3m breaks "\end{equation}" before its brace, and
 * Chinese text has no spaces to keep.
 */
const comparable = (text: string): string => text.replace(LIST_MARKER, '').replace(/\s+/g, '');

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Whether a parser's excerpt is the expected one, each formula of the expected excerpt (`$...$`,
 * `$$...$$`) standing for whatever the renderer put in its place (MathJax's rendered copy, MathML
 * source, TeX, Unicode, or nothing). `exact`: character for character otherwise; else the excerpts
 * are compared as `comparable` text.
 */
export function sameExcerpt(actual: string, expected: string, exact = false): boolean {
  const normal = exact ? (t: string): string => t : comparable;
  const pieces = expected.split(MATH).map((piece) => escapeRegExp(normal(piece)));
  return new RegExp(`^${pieces.join('[\\s\\S]*?')}$`).test(normal(actual));
}

/** Lines that start with white space: a renderer's indentation, or the indentation of code the page shows. */
export const indentedLines = (text: string): number => text.match(/^[ \t\u3000]+\S/gm)?.length ?? 0;

/** Two posts' addresses name the same post: both null, equal, or the same `/archives/NNNN` (scheme and host depend on where the renderer thought the page was). */
function sameUrl(actual: string | null, expected: string | null): boolean {
  if (actual === expected) return true;
  const archive = (url: string | null): string | undefined => (url === null ? undefined : /\/archives\/(\d+)(?:[/?#]|$)/.exec(url)?.[1]);
  return archive(actual) !== undefined && archive(actual) === archive(expected);
}

/**
 * The differences between a parser's records and the expected ones, in words; none when every field
 * is equal and the excerpt is the same text (`sameExcerpt`) without the renderer's indentation.
 */
export function recordProblems(actual: readonly ExpectedPost[], expected: readonly ExpectedPost[]): string[] {
  const problems: string[] = [];
  if (actual.length !== expected.length) problems.push(`${actual.length} posts, expected ${expected.length}`);
  const count = Math.min(actual.length, expected.length);
  for (let i = 0; i < count; i++) {
    const a = actual[i] as ExpectedPost;
    const e = expected[i] as ExpectedPost;
    const wrong: string[] = [];
    for (const key of ['title', 'author', 'date', 'readers', 'id'] as const) {
      if (a[key] !== e[key]) wrong.push(`${key} ${JSON.stringify(a[key])}`);
    }
    if (!sameUrl(a.url, e.url)) wrong.push(`url ${JSON.stringify(a.url)}`);
    if (!sameExcerpt(a.excerpt, e.excerpt)) wrong.push('excerpt');
    else if (indentedLines(a.excerpt) > indentedLines(e.excerpt)) wrong.push('excerpt indented');
    if (wrong.length > 0) problems.push(`post ${i + 1} (${e.title}): ${wrong.join(', ')}`);
  }
  return problems;
}

/** Whether records without problems also have excerpts equal character for character (formulas aside). */
export function exactExcerpts(actual: readonly ExpectedPost[], expected: readonly ExpectedPost[]): boolean {
  return actual.length === expected.length && actual.every((a, i) => sameExcerpt(a.excerpt, (expected[i] as ExpectedPost).excerpt, true));
}
