import { Buffer } from 'node:buffer';
import { diagnostic } from '../diagnostics.js';
import type { RawPost } from '../record.js';
import type { Diagnostic } from '../types.js';
import { addressIn, archiveId } from './article-matter.js';
import { charBoundary, isBlank, skipSpace, skipSpaceBack } from './bytes.js';
import { isCommentLine, isCommentTime } from './comments.js';
import { fastPath } from './fast-path.js';
import { type Header, parseHeader } from './header.js';
import { HeaderBytes, READERS, WIDE_BAR } from './header-bytes.js';
import { LayoutSniffer, PLAIN, type Layout } from './layout.js';
import type { ClippedPage, LayoutReader, LineInfo } from './line-info.js';
import { LineSplitter } from './lines.js';
import {
  END_OF_POST,
  END_OF_POST_HEADING,
  isNoiseHeading,
  isSidebar,
  NOT_NOISE,
  type NoiseKind,
  noiseKind,
  PAGINATION,
  READ_MORE,
  READING_TIP,
  SIDEBAR_COMMENTS,
  SIDEBAR_POSTS,
} from './noise.js';
import { recycleCheck, recycled } from '../borrowed.js';

export interface EngineOptions {
  /** Input name for records and diagnostics: a path, or `-` for stdin. */
  source: string;
  /** A longer line is an error (default 64 MiB). */
  maxLineBytes?: number;
  /**
   * The caller leaves each chunk as it is until the posts that `write` handed on are consumed (the
   * text reader: the posts go before the next chunk is read): an excerpt that is one stretch of its
   * chunk is then a view of it, not a copy. Without, posts are valid until `recycle`, whatever
   * becomes of the chunks.
   */
  borrowChunks?: boolean;
  /**
   * A segment of a larger input (a dump parsed on threads, `src/segments.ts`): its layout, which the
   * input's first lines decided, and how many lines come before it, for the line numbers.
   */
  segment?: { layout: Layout; linesBefore: number };
}

export interface EngineEvents {
  post(post: RawPost): void;
  diagnostic(d: Diagnostic): void;
}

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

// How much of a candidate header line is decoded: up to this many bytes after `位读者` (room for
// ` | 引用` and a few characters), or this many from the start when the line has no `位读者`.
const HEADER_TAIL_BYTES = 32;
const HEADER_PREFIX_BYTES = 256;
// A post whose header the next post repeats, with at most this many bytes of text (a line or two), was a link to it (a menu item).
const MENU_ITEM_BYTES = 240;
// How many lines of the end-of-post matter are searched for the post's address (the notice and the cite block are near its start).
const ADDRESS_LINES = 40;
// Posts held for a References list (lynx, elinks) are released without it past this many bytes of excerpts.
const MAX_HELD_BYTES = 32 * 1024 * 1024;

interface OpenPost {
  title: string;
  author: string;
  date: string;
  readers: number;
  line: number;
  url: string | null;
  id: number | null;
  /** The link number of its title (lynx, elinks), for its address in the References list; 0 if none. */
  linkNumber: number;
  /** The first line of its span (its title) and the last line so far. */
  first: number;
  last: number;
}

/**
 * The text-dump grammar as a streaming state machine: UTF-8 chunks in, posts out as each one
 * completes. The input's layout is recognised from its first lines (`layout.ts`); its reader strips
 * the renderer's decoration, and the grammar reads clean lines. A non-blank line is held back until
 * the next one shows whether it was a title (a header follows) or text; lines outside any post are
 * reported as skipped ranges. Noise (sidebar, pagination, read-more links, the end-of-post matter)
 * ends a post: the noise rules are in their modules (`noise.ts`), the state they need is here.
 */
export class DumpEngine {
  private readonly events: EngineEvents;
  private readonly source: string;
  private readonly splitter: LineSplitter;
  /** Where input lines go: the sniffer until the layout is known, then the layout's reader. */
  private reader: LayoutReader;
  private layout: Layout | null = null;
  private plain = false;
  private post: OpenPost | null = null;
  private readonly excerpt: ExcerptBuilder;
  private readonly headerBytes = new HeaderBytes();
  /** The line held back as a possible title: a byte range, copied before its chunk goes away. */
  private pendingBuf: Buffer | null = null;
  private pendingStart = 0;
  private pendingEnd = 0;
  private pendingLine = 0;
  private pendingInfo: LineInfo | null = null;
  private pendingSeq = 0;
  /** The skipped range being collected while no post is open: first and last line, and its first line's text. */
  private skipped: { first: number; last: number; text: string } | null = null;
  /** The next `位读者` and bars of either width in the current chunk: each search runs once per occurrence, not once per line. */
  private readonly readers = new NextOf(READERS);
  private readonly bars = new NextOf(0x7c);
  private readonly wideBars = new NextOf(WIDE_BAR);
  /** The non-blank line (counted as `nonBlankLines`) of the last heading of a list of posts: its first item is no title. */
  private postListSeq = -2;
  /** Under the sidebar's list of comments: a comment there is no title. */
  private inCommentList = false;
  /** Inside the sidebar or the end-of-post matter: a header-like line there is noise, no warning. */
  private inNoise = false;
  /**
   * Past the end-of-post matter, before the sidebar: the comments. A header there (a reader's paste)
   * starts no post, whatever the line above it; after the sidebar a new page's posts may start.
   */
  private inComments = false;
  /** A post ended by the end-of-post matter, held while its address may follow. */
  private closing: { post: RawPost; lines: number } | null = null;
  /** Posts held for the References list that gives their address (lynx, elinks), in input order. */
  private held: { post: RawPost; linkNumber: number }[] | null = null;
  private heldBytes = 0;
  /** The addresses of the held posts' link numbers (only theirs are kept), and how many links the References list gave. */
  private readonly links = new Map<number, string | null>();
  private linkCount = 0;
  posts = 0;
  nonBlankLines = 0;

  constructor(options: EngineOptions, events: EngineEvents) {
    this.events = events;
    this.source = options.source;
    this.excerpt = new ExcerptBuilder(options.borrowChunks ?? false);
    const sniffer = new LayoutSniffer((layout) => {
      this.layout = layout;
      this.plain = layout === PLAIN;
      this.reader = layout.reader((buf, start, end, line, info) => this.onLine(buf, start, end, line, info), {
        link: (n, url) => this.link(n, url),
      });
      return this.reader;
    });
    this.reader = sniffer;
    this.splitter = new LineSplitter(
      // The plain layout (the seed's) reads lines as they are: straight to the grammar.
      (buf, start, end, line) => (this.plain ? this.onLine(buf, start, end, line, null) : this.reader.line(buf, start, end, line)),
      options.source,
      options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
    );
    if (options.segment !== undefined) this.startSegment(options.segment.layout, options.segment.linesBefore);
  }

  /** A segment's engine: the layout known already, lines numbered on from the lines before it. */
  private startSegment(layout: Layout, linesBefore: number): void {
    this.reader = (this.reader as LayoutSniffer).decided(layout);
    this.splitter.line = linesBefore;
  }

  /**
   * Whether the engine is, after line `header`, as a segment's engine that started at line
   * `title` would be (one of the plain layout): the post of that title and header just opened,
   * nothing else held (no line waiting, no post awaiting its address, no skipped range, outside
   * noise and comments). Then the input may be cut before `title`: the posts and findings before
   * the cut are this engine's, the rest the segment's (`src/segments.ts`).
   */
  opensPostAt(title: number, header: number): boolean {
    const post = this.post;
    return (
      this.plain &&
      post !== null &&
      post.first === title &&
      post.line === header &&
      post.last === header &&
      this.pendingBuf === null &&
      this.skipped === null &&
      this.closing === null &&
      this.held === null &&
      !this.inNoise &&
      !this.inComments &&
      !this.inCommentList &&
      this.splitter.line === header
    );
  }

  /** The layout the input's first lines decided, or null while they have not. */
  get decidedLayout(): Layout | null {
    return this.layout;
  }

  /** Parses the next chunk. Keeps no reference to it: the caller may reuse it (with `borrowChunks`, once the posts are consumed). */
  write(chunk: Buffer): void {
    chunk = this.excerpt.borrow(chunk);
    // The caller may have reused the chunk's memory: what was found in it is forgotten.
    this.readers.forget();
    this.bars.forget();
    this.wideBars.forget();
    this.splitter.push(chunk);
    // The caller may reuse the chunk: keep nothing that points into it.
    this.excerpt.detach();
    if (this.pendingBuf !== null) {
      this.pendingBuf = Buffer.from(this.pendingBuf.subarray(this.pendingStart, this.pendingEnd));
      this.pendingEnd -= this.pendingStart;
      this.pendingStart = 0;
    }
  }

  /** The posts handed out so far are done with: their excerpt memory is reused from now on. */
  recycle(): void {
    this.excerpt.reclaim();
  }

  end(): void {
    this.splitter.end();
    this.reader.end();
    this.flushPending();
    this.closePost(false);
    this.release();
    this.releaseHeld();
    this.closeSkipped();
    const layout = this.layout;
    if (layout !== null && layout.name !== null) {
      this.events.diagnostic(diagnostic('TEXT_LAYOUT', 'info', this.source, { layout: layout.name, links: this.linkCount }));
    }
    if (this.posts === 0) {
      this.events.diagnostic(
        this.nonBlankLines === 0 ? diagnostic('EMPTY_INPUT', 'error', this.source, {}) : diagnostic('NO_POSTS', 'error', this.source, { in: 'text' }),
      );
    }
  }

  private onLine(buf: Buffer, start: number, end: number, line: number, info: LineInfo | null): void {
    if (isBlank(buf, start, end)) return;
    this.nonBlankLines++;
    if (info?.noise) {
      this.flushPending();
      this.closePost(false);
      this.addText(buf, start, end, line, info);
      return;
    }
    const fast = fastPath.enabled ? this.headerBytes.parse(buf, start, end) : null;
    if (fast !== null) {
      this.onHeader(fast, start + fast.restStart, buf, start, end, line, info);
      return;
    }
    if (this.mayBeHeader(buf, start, end)) {
      const prefixEnd = this.headerPrefixEnd(buf, start, end);
      let text = buf.toString('utf8', start, prefixEnd);
      let result = parseHeader(text);
      // A match that reaches (nearly) to the end of a cut prefix may have been cut short, say inside `引用`.
      if (prefixEnd < end && (result === null || !('header' in result) || text.length - result.header.restStart < 4)) {
        text = buf.toString('utf8', start, end);
        result = parseHeader(text);
      }
      if (result !== null && 'header' in result) {
        this.onHeader(result.header, start + Buffer.byteLength(text.slice(0, result.header.restStart)), buf, start, end, line, info);
        return;
      }
      if (result !== null) {
        this.flushPending();
        if (!this.inNoise) this.events.diagnostic(diagnostic('BROKEN_HEADER', 'warning', this.source, result.broken, line));
        // A header-like line is never a title: it goes straight to the text it sits in.
        this.addText(buf, start, end, line, info);
        return;
      }
    }
    this.flushPending();
    this.pendingBuf = buf;
    this.pendingStart = start;
    this.pendingEnd = end;
    this.pendingLine = line;
    this.pendingInfo = info;
    this.pendingSeq = this.nonBlankLines;
  }

  /** A header line (its first paragraph from `rest`): a post starts if the held line is its title, else it stays text. */
  private onHeader(header: Header, rest: number, buf: Buffer, start: number, end: number, line: number, info: LineInfo | null): void {
    if (this.pendingBuf !== null && this.isTitle(info)) {
      this.startPost(header, line, info, buf, rest, end);
      return;
    }
    // No title above it, or one that is not (a noise heading, a comment's time): the header stays text.
    const titled = this.pendingBuf !== null;
    this.flushPending();
    if (!titled && !this.inNoise) this.events.diagnostic(diagnostic('NO_TITLE', 'warning', this.source, {}, line));
    // A header-like line is never a title: it goes straight to the text it sits in.
    this.addText(buf, start, end, line, info);
  }

  /**
   * Where to cut a candidate header line before decoding it: the header is short, the first
   * paragraph glued to it is not. A cut that proves too short is redone on the whole line.
   */
  private headerPrefixEnd(buf: Buffer, start: number, end: number): number {
    const readers = this.readers.from(buf, start);
    const cut = readers !== -1 && readers < end ? readers + READERS.length + HEADER_TAIL_BYTES : start + HEADER_PREFIX_BYTES;
    return Math.min(end, cut);
  }

  /**
   * Cheap byte test: the line has a bar (`parseHeader` finds neither a header nor a broken one in
   * a line without: issue 17 measured the search for `位读者` at a quarter of a second on the
   * bench's dump, and a bar is found by memchr), and it starts with `By` and white space, or has
   * `位读者` in it.
   */
  private mayBeHeader(buf: Buffer, start: number, end: number): boolean {
    if (!(this.bars.within(buf, start, end) || this.wideBars.within(buf, start, end))) return false;
    if (this.readers.within(buf, start, end)) return true;
    const i = skipSpace(buf, start, end);
    return i + 2 < end && buf[i] === 0x42 && buf[i + 1] === 0x79 && skipSpace(buf, i + 2, end) > i + 2;
  }

  /**
   * Whether the held line is the title of the header that follows it. Not in an article's comments,
   * not a heading of the sidebar or of the end-of-post matter, nor the first item of a list of
   * posts, nor a comment of a list of them, nor a comment's time, nor a list item above a list
   * item (a menu of links to posts).
   */
  private isTitle(header: LineInfo | null): boolean {
    const buf = this.pendingBuf as Buffer;
    if (this.inComments || this.pendingSeq === this.postListSeq + 1) return false;
    if (header?.bullet === true && this.pendingInfo?.bullet === true) return false;
    const start = skipSpace(buf, this.pendingStart, this.pendingEnd);
    const end = skipSpaceBack(buf, start, this.pendingEnd);
    if (isNoiseHeading(buf, start, end) || isCommentTime(buf, start, end)) return false;
    return !this.inCommentList || !isCommentLine(buf.toString('utf8', start, end));
  }

  private startPost(header: Header, line: number, info: LineInfo | null, buf: Buffer, rest: number, end: number): void {
    const titleInfo = this.pendingInfo;
    const title = (this.pendingBuf as Buffer).toString('utf8', this.pendingStart, this.pendingEnd).trim();
    const first = this.pendingLine;
    this.pendingBuf = null;
    this.pendingInfo = null;
    if (this.post !== null && this.excerpt.bytes <= MENU_ITEM_BYTES && isRepeatedBy(this.post, header, title)) this.dropPost();
    const post = this.open(title, header, line, first, titleInfo);
    if (info !== null) post.last = info.last;
    if (!isBlank(buf, rest, end)) this.excerpt.add(buf, rest, end);
  }

  /** Opens a post: the one before it ends, and so do the noise and the skipped range before it. */
  private open(title: string, header: Header, line: number, first: number, titleInfo: LineInfo | null): OpenPost {
    this.closePost(false);
    this.release();
    this.closeSkipped();
    this.inNoise = false;
    this.inCommentList = false;
    const url = titleInfo?.href ?? titleInfo?.page?.url ?? null;
    this.post = {
      title,
      author: header.author,
      date: header.date,
      readers: header.readers,
      line,
      url,
      id: url === null ? null : archiveId(url),
      linkNumber: titleInfo?.linkNumber ?? 0,
      first,
      last: line,
    };
    return this.post;
  }

  /**
   * The held line is text (of the open post, or of the noise): unless it is noise, which may end
   * the post, or a clipping's page whose front matter holds the post's header (the clipper dropped
   * the meta line from the body).
   */
  private flushPending(): void {
    const buf = this.pendingBuf;
    if (buf === null) return;
    this.pendingBuf = null;
    const info = this.pendingInfo;
    if (info !== null) {
      this.pendingInfo = null;
      if (info.page !== null && this.pagePost(buf, info)) return;
    }
    const kind = noiseKind(buf, this.pendingStart, this.pendingEnd);
    if (kind === NOT_NOISE || !this.noise(kind, buf, info)) this.addText(buf, this.pendingStart, this.pendingEnd, this.pendingLine, info);
  }

  /** A clipping's page line: a new page (its comments are behind), and a post if its front matter has the post's header and address. */
  private pagePost(buf: Buffer, info: LineInfo): boolean {
    const page = info.page as ClippedPage;
    this.inComments = false;
    if (page.header === null || page.url === null) return false;
    const title = buf.toString('utf8', this.pendingStart, this.pendingEnd).trim();
    this.open(title, page.header, page.headerLine, this.pendingLine, info).last = info.last;
    return true;
  }

  /**
   * The held line is noise of `kind`: what it ends and what it starts. False when it goes on as
   * the text it is in (of the post it ends, or of the noise); true when it is a skipped range of
   * its own inside the post (the reading-time tip; a read-more link, whose address, if it has one,
   * is the post's).
   */
  private noise(kind: NoiseKind, buf: Buffer, info: LineInfo | null): boolean {
    const post = this.post;
    if ((kind === READING_TIP || kind === READ_MORE) && post !== null) {
      if (kind === READ_MORE && post.url === null && info?.href != null) {
        post.url = info.href;
        post.id = archiveId(info.href);
      }
      const line = this.pendingLine;
      this.skipped = { first: line, last: info?.last ?? line, text: buf.toString('utf8', this.pendingStart, this.pendingEnd).trim() };
      this.closeSkipped();
      return true;
    }
    const sidebar = isSidebar(kind);
    const matter = kind === END_OF_POST || kind === END_OF_POST_HEADING;
    if (kind === SIDEBAR_POSTS) this.postListSeq = this.pendingSeq;
    if (sidebar) this.inCommentList = kind === SIDEBAR_COMMENTS;
    if (sidebar || matter) {
      this.inNoise = true;
      this.inComments = matter;
    }
    if (sidebar || kind === PAGINATION) this.closePost(false);
    else if (matter) this.closePost(true);
    return false;
  }

  /** Text goes to the open post's excerpt, or to the skipped range when no post is open. */
  private addText(buf: Buffer, start: number, end: number, line: number, info: LineInfo | null): void {
    const last = info === null ? line : info.last;
    if (this.post !== null) {
      this.excerpt.add(buf, start, end);
      this.post.last = last;
      return;
    }
    if (this.closing !== null) this.lookForAddress(buf, start, end);
    if (this.skipped === null) {
      this.skipped = { first: line, last, text: buf.toString('utf8', start, charBoundary(buf, Math.min(end, start + 120))).trim() };
    } else {
      this.skipped.last = last;
    }
  }

  /** A line of the end-of-post matter after the body: the post's address, if it says it. */
  private lookForAddress(buf: Buffer, start: number, end: number): void {
    const closing = this.closing as { post: RawPost; lines: number };
    const address = addressIn(buf.toString('utf8', start, end));
    if (address !== null) {
      closing.post.url = address.url;
      closing.post.id = address.id;
    }
    if (address !== null || ++closing.lines >= ADDRESS_LINES) this.release();
  }

  /** Ends the open post; `awaitAddress`: it ended at the end-of-post matter, whose lines may state its address. */
  private closePost(awaitAddress: boolean): void {
    const p = this.post;
    if (p === null) return;
    this.post = null;
    this.posts++;
    const raw: RawPost = {
      title: p.title,
      author: p.author,
      date: p.date,
      readers: p.readers,
      excerptUtf8: this.excerpt.take(),
      url: p.url,
      id: p.id,
      source: this.source,
      line: p.line,
    };
    if (p.linkNumber !== 0 && p.url === null) {
      this.hold(raw, p.linkNumber);
    } else if (awaitAddress && p.url === null) {
      // Kept past this batch: its excerpt is copied out of the memory `recycle` reuses.
      this.closing = { post: { ...raw, excerptUtf8: raw.excerptUtf8.slice() }, lines: 0 };
    } else {
      this.emit(raw);
    }
  }

  /** Hands a post on, after the posts held before it. */
  private emit(post: RawPost): void {
    if (this.held !== null) this.hold(post, 0);
    else this.events.post(post);
  }

  /**
   * A post whose address is the link numbered `linkNumber` in the References list at the end (or
   * 0: a post after one): held, in order, until then. Memory is bounded: past `MAX_HELD_BYTES`
   * the held posts go on without their addresses.
   */
  private hold(post: RawPost, linkNumber: number): void {
    this.held ??= [];
    const copy = { ...post, excerptUtf8: post.excerptUtf8.slice() };
    this.held.push({ post: copy, linkNumber });
    if (linkNumber !== 0) this.links.set(linkNumber, null);
    this.heldBytes += copy.excerptUtf8.length;
    if (this.heldBytes > MAX_HELD_BYTES) this.releaseHeld();
  }

  /** The References list gives link `n` an address: kept if a held post's title is that link. */
  private link(n: number, url: string): void {
    this.linkCount++;
    if (this.links.has(n)) this.links.set(n, url);
  }

  /** The post waiting for its address in the end-of-post matter goes on, with or without it. */
  private release(): void {
    const closing = this.closing;
    if (closing === null) return;
    this.closing = null;
    this.emit(closing.post);
  }

  /** The held posts go on, with the addresses the References list gave their titles' link numbers. */
  private releaseHeld(): void {
    const held = this.held;
    if (held === null) return;
    this.held = null;
    this.heldBytes = 0;
    for (const { post, linkNumber } of held) {
      const url = this.links.get(linkNumber) ?? null;
      this.links.delete(linkNumber);
      this.events.post(url === null ? post : { ...post, url, id: archiveId(url) });
    }
  }

  /** The open post was a menu's link to the post that follows (it repeats its header): its lines are noise. */
  private dropPost(): void {
    const p = this.post as OpenPost;
    this.post = null;
    this.excerpt.take();
    this.closeSkipped();
    this.skipped = { first: p.first, last: p.last, text: p.title.slice(0, 120) };
  }

  private closeSkipped(): void {
    const s = this.skipped;
    if (s === null) return;
    this.skipped = null;
    this.events.diagnostic(diagnostic('SKIPPED_NOISE', 'info', this.source, { lines: s.last - s.first + 1, start: s.text }, s.first, s.last));
  }
}

/**
 * Where the next occurrence of a pattern is in the buffer that lines are read from, found once and
 * used by every line before it: searching each line apart would read the bytes after it again, up
 * to the next occurrence. Lines of one buffer come in order, so each search starts past the last.
 */
class NextOf {
  private readonly pattern: number | Buffer;
  private buf: Buffer | null = null;
  private at = -1;

  constructor(pattern: number | Buffer) {
    this.pattern = pattern;
  }

  /** The first occurrence at or after `start` in `buf`, or -1. */
  from(buf: Buffer, start: number): number {
    if (this.buf !== buf || (this.at !== -1 && this.at < start)) {
      this.buf = buf;
      this.at = buf.indexOf(this.pattern, start);
    }
    return this.at;
  }

  /** Whether an occurrence starts in `buf[start, end)`. */
  within(buf: Buffer, start: number, end: number): boolean {
    const at = this.from(buf, start);
    return at !== -1 && at < end;
  }

  /** The buffer's memory is about to be reused: search it again. */
  forget(): void {
    this.buf = null;
  }
}

/** Whether `next`'s header repeats the open post's, under another title: with a line or two of text, it is a menu item linking to `next`. */
function isRepeatedBy(open: OpenPost, next: Header, title: string): boolean {
  return open.title !== title && open.author === next.author && open.date === next.date && open.readers === next.readers;
}

/**
 * Collects one excerpt's lines, joined with `\n`, into a slab shared by consecutive posts: each post
 * gets a view of its own stretch (4-byte aligned, for the JSON escaper's word reads). Lines that
 * follow each other in the input one LF apart are joined there already, and are copied as one run.
 * Posts handed out are consumed before the next chunk arrives, so `reclaim` then reuses their
 * memory: fresh memory would cost a page fault per 4 KiB. With `borrowChunks`, an excerpt that is
 * one run of the input (the seed's: its lines follow each other) is not copied at all: a view of
 * the chunk (issue 17: the parse took 8-14 % less time without that copy, measured).
 */
class ExcerptBuilder {
  private readonly borrowChunks: boolean;
  /** In the tests' check of borrowed memory: copies of the chunks that posts may view, overwritten at `reclaim`. */
  private checked: Uint8Array[] = [];
  private slab: Uint8Array = new Uint8Array(SLAB_BYTES);
  /** Full slabs that posts of the current batch still point into, reusable after it. */
  private retired: Uint8Array[] = [];
  private spare: Uint8Array[] = [];
  /** Where the excerpt being built starts in the slab, and where it ends so far. */
  private begin = 0;
  private end = 0;
  /** Input bytes not yet copied: `runBuf[runStart, runEnd)`. */
  private runBuf: Buffer | null = null;
  private runStart = 0;
  private runEnd = 0;

  constructor(borrowChunks: boolean) {
    this.borrowChunks = borrowChunks;
  }

  /**
   * The chunk to parse: itself, or, when the tests check borrowed memory, a copy that `reclaim`
   * overwrites (as the caller's next read would overwrite the chunk), so that a post kept past its
   * batch shows garbage whichever memory its excerpt views.
   */
  borrow(chunk: Buffer): Buffer {
    if (!this.borrowChunks || !recycleCheck.overwrite) return chunk;
    const copy = Buffer.from(chunk);
    this.checked.push(copy);
    return copy;
  }

  add(src: Buffer, start: number, end: number): void {
    if (src === this.runBuf && start === this.runEnd + 1 && src[this.runEnd] === 0x0a) {
      this.runEnd = end;
      return;
    }
    this.detach();
    this.runBuf = src;
    this.runStart = start;
    this.runEnd = end;
  }

  /** Copies the pending run into the slab, so nothing points into the input any more. */
  detach(): void {
    const src = this.runBuf;
    if (src === null) return;
    this.runBuf = null;
    const separator = this.end > this.begin ? 1 : 0;
    const length = this.runEnd - this.runStart;
    if (this.end + separator + length > this.slab.length) this.moveTo(this.freshSlab(separator + length));
    if (separator) this.slab[this.end++] = 0x0a;
    // A plain view: making a Buffer's `subarray` (a FastBuffer) was 4 % of `check`'s profile (issue 17).
    this.slab.set(new Uint8Array(src.buffer, src.byteOffset + this.runStart, length), this.end);
    this.end += length;
  }

  /** How many bytes the excerpt being built has so far. */
  get bytes(): number {
    return this.end - this.begin + (this.runBuf === null ? 0 : this.runEnd - this.runStart + 1);
  }

  /** The excerpt built so far, ending it: a view of the slab, or with `borrowChunks` of the input when it is one run of it. */
  take(): Uint8Array {
    const src = this.runBuf;
    if (this.borrowChunks && src !== null && this.end === this.begin) {
      this.runBuf = null;
      return new Uint8Array(src.buffer, src.byteOffset + this.runStart, this.runEnd - this.runStart);
    }
    this.detach();
    const out = this.slab.subarray(this.begin, this.end);
    this.begin = this.end = Math.min((this.end + 3) & ~3, this.slab.length);
    return out;
  }

  /** Every excerpt handed out so far is done with: their memory is free again. */
  reclaim(): void {
    for (const chunk of this.checked) recycled(chunk);
    this.checked = [];
    for (const slab of this.retired) {
      recycled(slab);
      this.spare.push(slab);
    }
    this.retired = [];
    this.moveTo(this.slab);
    recycled(this.slab.subarray(this.end));
  }

  /** A slab with room for the excerpt being built plus `more` bytes. */
  private freshSlab(more: number): Uint8Array {
    const need = this.end - this.begin + more;
    const i = this.spare.findIndex((s) => s.length >= need);
    if (i !== -1) return this.spare.splice(i, 1)[0] as Uint8Array;
    return new Uint8Array(Math.max(SLAB_BYTES, (2 * need + 3) & ~3));
  }

  /** Moves the excerpt being built to the start of `slab` (which may be the current one). */
  private moveTo(slab: Uint8Array): void {
    const length = this.end - this.begin;
    slab.set(this.slab.subarray(this.begin, this.end));
    if (slab !== this.slab) this.retired.push(this.slab);
    this.slab = slab;
    this.begin = 0;
    this.end = length;
  }
}

// About one chunk's worth of excerpts; a slab grows when a batch needs more.
const SLAB_BYTES = 1 << 16;
