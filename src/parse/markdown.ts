import { Buffer } from 'node:buffer';
import { listMarker } from './bullets.js';
import { MAX_FRONT_MATTER_LINES, pageTitle, readFrontMatter } from './front-matter.js';
import { tooWideToWrap } from './hard-wrap.js';
import { startsHeader } from './header.js';
import { atxHeading } from './heading-marks.js';
import type { Layout } from './layout.js';
import { type ClippedPage, type LayoutReader, type LineInfo, lineInfo, type TextLineHandler } from './line-info.js';
import { inlineText } from './markdown-inline.js';

/**
 * Markdown, as pandoc `-t gfm` converts a page and the web clippers (Obsidian Web Clipper,
 * MarkDownload) save one (SPEC §10): blocks (paragraphs over several lines, headings `#`…`######`,
 * list items, quotes, fenced code, rules, raw HTML) read as the page's lines, each without its
 * inline marks (`markdown-inline.ts`), and a clipping's front matter as the page it clipped. A
 * header that pandoc spread over lines of inline HTML is one paragraph, so one line here.
 */

const SITE = 'https://kexue.fm/';
// A block longer than this is read in pieces of this size: memory stays bounded whatever the input.
const MAX_BLOCK_CHARS = 1 << 20;

/** Markdown's layout, when the first lines show it: front matter, a heading, raw HTML, an escaped bar in the header. */
export function recognizeMarkdown(head: readonly string[]): Layout | null {
  const header = head.at(-1) ?? '';
  let name: string | null = null;
  if (head[0]?.trim() === '---') name = head.some((l) => l.startsWith('title:')) ? 'Markdown (Obsidian Web Clipper)' : 'Markdown (MarkDownload)';
  else if (head.some((l) => l.startsWith('<div') || l.startsWith('</div>'))) name = 'Markdown (pandoc -t gfm)';
  else if (header.includes('\\|') || head.some((l) => atxHeading(l) !== null)) name = 'Markdown';
  return name === null ? null : { name, reader: (onLine) => new MarkdownReader(onLine) };
}

/** A block being read: its lines so far. */
interface Block {
  lines: string[];
  chars: number;
  first: number;
  last: number;
  bullet: boolean;
  heading: boolean;
}

/** A line of text ready for the grammar, held until the next one (lines that hold no text after it are its). */
interface Ready {
  text: string;
  first: number;
  info: LineInfo;
}

class MarkdownReader implements LayoutReader {
  private readonly onLine: TextLineHandler;
  private seen = 0;
  /** The front matter's lines while it is read, and where it started; then the clipper's template after it. */
  private front: { lines: string[]; first: number } | null = null;
  private clipping: { title: string | null; page: ClippedPage; first: number; last: number; h1: string | null; rule: boolean } | null = null;
  private fence: string | null = null;
  /** Whether a line break in a paragraph ends a line: in a clipping (its front matter read). */
  private lineBreaks = false;
  private block: Block | null = null;
  private ready: Ready | null = null;
  /** Lines before the first line of text that hold none (raw HTML, a rule): its. The first and last of them, and the first's text. */
  private leading = 0;
  private leadingLast = 0;
  private leadingText = '';

  constructor(onLine: TextLineHandler) {
    this.onLine = onLine;
  }

  line(buf: Buffer, start: number, end: number, line: number): void {
    const raw = buf.toString('utf8', start, end);
    this.seen++;
    if (this.seen === 1 && raw.trim() === '---') {
      this.front = { lines: [], first: line };
      return;
    }
    if (this.front !== null && this.frontMatterLine(raw, line)) return;
    if (this.clipping !== null && this.templateLine(raw, line)) return;
    this.body(raw, line);
  }

  end(): void {
    const front = this.front;
    this.front = null;
    if (front !== null) this.notFrontMatter(front);
    if (this.clipping !== null) this.endClipping();
    this.closeBlock();
    // Nothing but lines without text: they are noise, and said so.
    if (this.leading !== 0) this.push({ text: this.leadingText, first: this.leading, info: lineInfo(this.leadingLast, { noise: true }) });
    this.emitReady();
  }

  /** A line of the front matter; false when it turned out to be none (its lines are then read as the body). */
  private frontMatterLine(raw: string, line: number): boolean {
    const front = this.front as { lines: string[]; first: number };
    const trimmed = raw.trim();
    if (trimmed !== '---' && trimmed !== '...') {
      front.lines.push(raw);
      if (front.lines.length <= MAX_FRONT_MATTER_LINES) return true;
    }
    this.front = null;
    const fields = trimmed === '---' || trimmed === '...' ? readFrontMatter(front.lines) : null;
    if (fields === null) {
      this.notFrontMatter(front);
      return false;
    }
    const headerLine = fields.headerAt === -1 ? line : front.first + 1 + fields.headerAt;
    this.lineBreaks = true;
    this.clipping = {
      title: fields.title,
      page: { url: fields.url, header: fields.header, headerLine },
      first: front.first,
      last: line,
      h1: null,
      rule: false,
    };
    return true;
  }

  /** Lines read as a front matter that is none: the body's, from its opening rule. */
  private notFrontMatter(front: { lines: string[]; first: number }): void {
    this.body('---', front.first);
    for (const [i, l] of front.lines.entries()) this.body(l, front.first + 1 + i);
  }

  /**
   * MarkDownload's template after its front matter: the page's title as `# title`, its description
   * quoted under `> ## Excerpt`, a rule. Part of the clipping's page; false at the first line past it.
   */
  private templateLine(raw: string, line: number): boolean {
    const clipping = this.clipping as NonNullable<MarkdownReader['clipping']>;
    const trimmed = raw.trim();
    const h1 = trimmed.startsWith('# ') ? atxHeading(trimmed) : null;
    const part = !clipping.rule && (trimmed === '' || (h1 !== null && clipping.h1 === null) || trimmed.startsWith('>') || trimmed === '---');
    if (!part) {
      this.endClipping();
      return false;
    }
    if (h1 !== null) clipping.h1 = h1;
    if (trimmed === '---') clipping.rule = true;
    if (trimmed !== '') clipping.last = line;
    return true;
  }

  /** The clipping's page as one line: its title (front matter, else `# title`), with what the front matter says of the post. */
  private endClipping(): void {
    const c = this.clipping as NonNullable<MarkdownReader['clipping']>;
    this.clipping = null;
    const title = c.title ?? (c.h1 === null ? null : pageTitle(c.h1)) ?? 'front matter';
    this.push({ text: title, first: c.first, info: lineInfo(c.last, { href: c.page.url, page: c.page }) });
  }

  private body(raw: string, line: number): void {
    if (this.fence !== null) {
      if (raw.trim().startsWith(this.fence)) {
        this.fence = null;
        this.hold(line, raw);
      } else {
        this.push({ text: raw, first: line, info: lineInfo(line) });
      }
      return;
    }
    // Quote marks and a list item's indentation are structure, not text.
    const text = unquoted(raw).trim();
    if (text === '') {
      this.closeBlock();
      return;
    }
    const fence = fenceOf(text);
    if (fence !== null) {
      this.closeBlock();
      this.fence = fence;
      this.hold(line, raw);
      return;
    }
    if (isRule(text)) {
      this.closeBlock();
      this.hold(line, raw);
      return;
    }
    const heading = atxHeading(text);
    const marker = heading === null ? listMarker(text, 0) : 0;
    const block = this.block;
    // Markdown joins a paragraph's lines (pandoc wraps at 72 columns), but not in a clipping (a note shows its line breaks, and
    // the clippers never wrap), nor after a line no tool wrapped; and a header is a line of its own, as is its title above it, even
    // with no blank line between (a browser's copy pasted into a note).
    const header = startsHeader(text);
    const paragraph = block !== null && !block.heading && !this.lineBreaks && !tooWideToWrap(block.lines.at(-1) as string, 'cells');
    if (heading === null && marker === 0 && !header && block !== null && (paragraph || opensTag(block.lines) || opensMath(block.lines))) {
      block.lines.push(text);
      block.chars += text.length;
      block.last = line;
      if (block.chars > MAX_BLOCK_CHARS) this.closeBlock();
    } else {
      if (header && block !== null && !block.heading && block.lines.length > 1 && !opensTag(block.lines)) this.splitTitle(block);
      this.closeBlock();
      this.block = { lines: [heading ?? text.slice(marker)], chars: text.length, first: line, last: line, bullet: marker > 0, heading: heading !== null };
    }
    // A hard line break (two spaces or a backslash at the end) ends the line here.
    if (raw.endsWith('  ') || (raw.endsWith('\\') && !raw.endsWith('\\\\'))) this.closeBlock();
  }

  /** The paragraph's last line, right above a header, is its title: a block of its own. */
  private splitTitle(block: Block): void {
    const title = block.lines.pop() as string;
    block.chars -= title.length;
    block.last--;
    this.closeBlock();
    this.block = { lines: [title], chars: title.length, first: block.last + 1, last: block.last + 1, bullet: false, heading: false };
  }

  /** The block read as text: one line, unless it held no text (raw HTML, an image). */
  private closeBlock(): void {
    const block = this.block;
    if (block === null) return;
    this.block = null;
    const { text, href } = inlineText(block.lines.join(' '));
    if (text === '') return this.hold(block.last, block.lines[0] as string, block.first);
    this.push({ text, first: block.first, info: lineInfo(block.last, { bullet: block.bullet, href: href === null ? null : absolute(href) }) });
  }

  /** Non-blank lines that hold no text (raw HTML, a rule, a fence), `first` to `line`: the line before's (or the first line of text's, before any). */
  private hold(line: number, text: string, first = line): void {
    if (this.ready !== null) {
      this.ready.info.last = line;
      return;
    }
    if (this.leading === 0) {
      this.leading = first;
      this.leadingText = text.trim();
    }
    this.leadingLast = line;
  }

  private push(next: Ready): void {
    this.emitReady();
    if (this.leading !== 0) {
      next.first = Math.min(next.first, this.leading);
      this.leading = 0;
    }
    this.ready = next;
  }

  private emitReady(): void {
    const r = this.ready;
    if (r === null) return;
    this.ready = null;
    const bytes = Buffer.from(r.text, 'utf8');
    this.onLine(bytes, 0, bytes.length, r.first, r.info);
  }
}

/** A line without its quote marks (`> `, `> > `). */
function unquoted(line: string): string {
  let i = 0;
  for (;;) {
    let j = i;
    while (j - i < 3 && line.charCodeAt(j) === 0x20) j++;
    if (line.charCodeAt(j) !== 0x3e) return line.slice(i);
    i = line.charCodeAt(j + 1) === 0x20 ? j + 2 : j + 1;
  }
}

/** The fence a line opens or closes code with (three or more backticks or tildes), or null. */
function fenceOf(text: string): string | null {
  const mark = text.charCodeAt(0);
  if (mark !== 0x60 && mark !== 0x7e) return null;
  let n = 0;
  while (text.charCodeAt(n) === mark) n++;
  return n >= 3 ? text.slice(0, n) : null;
}

/** A thematic break: three or more `*`, `-` or `_`, alone with white space. */
function isRule(text: string): boolean {
  const mark = text.charCodeAt(0);
  if (mark !== 0x2a && mark !== 0x2d && mark !== 0x5f) return false;
  let marks = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === mark) marks++;
    else if (c !== 0x20 && c !== 0x09) return false;
  }
  return marks >= 3;
}

/** Whether a display formula opened by a `$$` line of its own (as Defuddle writes one) is still open: its lines are one line. */
function opensMath(lines: readonly string[]): boolean {
  return lines[0] === '$$' && (lines.length === 1 || lines.at(-1) !== '$$');
}

/** Whether the block's text so far leaves a tag open (`## <a href="…"` on one line, `rel="bookmark">title</a>` on the next). */
function opensTag(lines: readonly string[]): boolean {
  const last = lines.at(-1) ?? '';
  return last.lastIndexOf('<') > last.lastIndexOf('>');
}

/** A link's address, absolute: relative ones against the blog, as the HTML reader resolves a page's links. */
function absolute(href: string): string {
  try {
    return new URL(href, SITE).href;
  } catch {
    return href;
  }
}
