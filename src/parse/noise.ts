import type { Buffer } from 'node:buffer';
import { isCommentCount, isNextLink, MATTER_HEADINGS, MATTER_LINES, OPENINGS, READING_TIP as TIP } from './article-matter.js';
import { Phrases, StartGate, skipSpace, skipSpaceBack } from './bytes.js';
import { isPagination, PAGINATION_FIRST_BYTES } from './pagination.js';
import { isReadMore, READ_MORE_PHRASES } from './read-more.js';
import { COMMENT_LISTS, OTHER_HEADINGS, POST_LISTS } from './sidebar.js';

/** What a line that belongs to no post is; `NOT_NOISE` for every other line. */
export const NOT_NOISE = 0;
/** A heading of the sidebar or footer (`热门标签`, `Links`): ends the post. */
export const SIDEBAR = 1;
/** A pagination bar: ends the post. */
export const PAGINATION = 2;
/** A read-more link: dropped from the excerpt (its address, where the line has one, is the post's). */
export const READ_MORE = 3;
/** A line of the end-of-post matter: ends the body; the post's address may follow. */
export const END_OF_POST = 4;
/** A heading of the end-of-post matter (`相关文章`, `3 条评论`): as `END_OF_POST`, and its first item is no title. */
export const END_OF_POST_HEADING = 5;
/** The reading-time tip between an article's meta line and its body: dropped. */
export const READING_TIP = 6;
/** The sidebar's heading of a list of posts (`随机文章`): as `SIDEBAR`, and its first item is no title. */
export const SIDEBAR_POSTS = 7;
/** The sidebar's heading of a list of comments (`最近评论`): as `SIDEBAR`, and a comment under it is no title. */
export const SIDEBAR_COMMENTS = 8;

export type NoiseKind =
  | typeof NOT_NOISE
  | typeof SIDEBAR
  | typeof PAGINATION
  | typeof READ_MORE
  | typeof END_OF_POST
  | typeof END_OF_POST_HEADING
  | typeof READING_TIP
  | typeof SIDEBAR_POSTS
  | typeof SIDEBAR_COMMENTS;

const tagged = (phrases: readonly string[], kind: NoiseKind): [string, NoiseKind][] => phrases.map((p) => [p, kind]);
// Every noise phrase in one table each, so that a line costs one look-up: how long lines start, what short ones are.
const STARTS = new Phrases<NoiseKind>([...tagged(OPENINGS, END_OF_POST), [TIP, READING_TIP]]);
const SHORT_PHRASES = [COMMENT_LISTS, POST_LISTS, OTHER_HEADINGS, MATTER_HEADINGS, MATTER_LINES];
const SHORT = new Phrases<NoiseKind>([
  ...tagged(COMMENT_LISTS, SIDEBAR_COMMENTS),
  ...tagged(POST_LISTS, SIDEBAR_POSTS),
  ...tagged(OTHER_HEADINGS, SIDEBAR),
  ...tagged(MATTER_HEADINGS, END_OF_POST_HEADING),
  ...tagged(MATTER_LINES, END_OF_POST),
]);
// How a short line of noise may start (a phrase, a read-more link, a comment count's digit, a pagination bar): most lines start otherwise.
const SHORT_GATE = new StartGate();
for (const phrase of [...SHORT_PHRASES.flat(), ...READ_MORE_PHRASES]) SHORT_GATE.add(phrase);
for (const byte of PAGINATION_FIRST_BYTES) SHORT_GATE.addByte(byte);

// Longer lines are no heading, link or bar: only the end-of-post matter and the reading-time tip have
// long lines, known by how they start; longer still, no line is noise.
const MAX_SHORT_BYTES = 96;
const MAX_MATTER_BYTES = 512;

/**
 * What a line is among the page's noise (SPEC §2, §10). This runs on every excerpt line, so bytes
 * are compared, a long line only with the few ways the end-of-post matter starts (one look-up of
 * its first byte), and only a possible pagination bar is decoded.
 */
export function noiseKind(buf: Buffer, start: number, end: number): NoiseKind {
  start = skipSpace(buf, start, end);
  end = skipSpaceBack(buf, start, end);
  const length = end - start;
  if (length === 0 || length > MAX_MATTER_BYTES) return NOT_NOISE;
  const starts = STARTS.prefix(buf, start, end);
  if (starts !== undefined) return starts;
  if (length > MAX_SHORT_BYTES) return NOT_NOISE;
  if (isNextLink(buf, start, end)) return END_OF_POST;
  if (!SHORT_GATE.has(buf, start, end)) return NOT_NOISE;
  const short = SHORT.is(buf, start, end);
  if (short !== undefined) return short;
  if (isCommentCount(buf, start, end)) return END_OF_POST_HEADING;
  if (isReadMore(buf, start, end)) return READ_MORE;
  return isPagination(buf, start, end) ? PAGINATION : NOT_NOISE;
}

/** Whether a kind of noise is a heading of the sidebar. */
export function isSidebar(kind: NoiseKind): boolean {
  return kind === SIDEBAR || kind === SIDEBAR_POSTS || kind === SIDEBAR_COMMENTS;
}

/** Whether a line is a heading of noise (the sidebar's, the end-of-post matter's): never a title. */
export function isNoiseHeading(buf: Buffer, start: number, end: number): boolean {
  const kind = noiseKind(buf, start, end);
  return isSidebar(kind) || kind === END_OF_POST_HEADING;
}
