import { Buffer } from 'node:buffer';
import { fieldValue, type RawPost } from '../record.js';
import type { PostField } from '../types.js';
import { copyRun, marks, nextMarked, wordsOf } from './byte-scan.js';
import type { Formatter } from './formatter.js';
import { numberText, utf8, utf8IntoPlain, utf8Of } from './utf8.js';
import { OutputBuffer } from './output-buffer.js';

/**
 * Markdown: per post a `## [title](url)` heading, a metadata line (author · date · readers) and the
 * excerpt's paragraphs separated by blank lines. LaTeX passes through untouched for math-aware
 * renderers; everything else that Markdown would read as markup (`<eos>`, `*`, `[`) is escaped.
 */
export function markdownFormatter(fields: readonly PostField[]): Formatter {
  const show = shown(fields);
  const escaper = new MarkdownEscaper();
  return {
    start() {},
    write(posts, out) {
      for (const post of posts) writePost(out, post, show, escaper);
    },
    finish() {},
  };
}

/** Which parts of a post `-f md` shows, looked up once for all posts. */
interface Shown {
  title: boolean;
  url: boolean;
  author: boolean;
  date: boolean;
  readers: boolean;
  excerpt: boolean;
}

function shown(fields: readonly PostField[]): Shown {
  const has = (field: PostField): boolean => fields.includes(field);
  return { title: has('title'), url: has('url'), author: has('author'), date: has('date'), readers: has('readers'), excerpt: has('excerpt') };
}

/** The columns of a Markdown table unless fields are chosen: what fits in a row. */
export const TABLE_FIELDS: readonly PostField[] = ['title', 'author', 'date', 'readers'];

/** A GFM table, one row per post and one column per field. */
export function markdownTableFormatter(fields: readonly PostField[]): Formatter {
  const escaper = new MarkdownEscaper();
  return {
    start(out) {
      out.text(`| ${fields.join(' | ')} |\n|${fields.map((f) => (f === 'readers' || f === 'id' || f === 'line' ? ' ---: |' : ' --- |')).join('')}\n`);
    },
    write(posts, out) {
      for (const post of posts) {
        out.text('| ');
        fields.forEach((field, i) => {
          if (i > 0) out.text(' | ');
          writeCell(out, post, field, escaper);
        });
        out.text(' |\n');
      }
    },
    finish() {},
  };
}

/**
 * Escapes text for Markdown outside math, as `-f md` does. With `paragraphs`, each `\n` becomes a
 * paragraph break (a newline inside math stays one, so display math is never split); without, the
 * text is one line.
 */
export function escapeText(text: string, paragraphs: boolean): string {
  const out = new OutputBuffer(text.length + 16);
  new MarkdownEscaper().write(out, utf8(text), paragraphs ? PARAGRAPHS : LINE);
  return out.take().toString('utf8');
}

/**
 * A post's title and metadata line are put together here in UTF-8 before they are escaped: built as
 * strings (joined, flattened, encoded into a second scratch buffer), their encoding and the word
 * views were 10 % of `-f md`'s profile, now 2.5 % (issue 17). One buffer for both, so that the
 * escaper's word view of it is made once.
 */
let lineBytes = new OutputBuffer(256);
/** A buffer grown past this for a long title or author is let go after its post. */
const LINE_BYTES_KEPT = 1 << 16;

function writePost(out: OutputBuffer, post: RawPost, show: Shown, escaper: MarkdownEscaper): void {
  let blocks = 0;
  if (show.title) {
    const url = show.url ? post.url : null;
    out.copy(url === null ? HEADING : LINKED_HEADING, 0, url === null ? HEADING.length : LINKED_HEADING.length);
    const start = out.length;
    lineBytes.length = 0;
    writeLine(out, addLineText(post.title), LINE, escaper);
    escapeClosingHashes(out, start);
    if (url !== null) out.text(`](${linkTarget(url)})`);
    blocks++;
  }
  // The metadata line: author · date · N readers, those shown (the separators and the count are plain text).
  lineBytes.length = 0;
  let parts = 0;
  let plain = true;
  if (show.author) {
    plain = addLineText(post.author);
    parts++;
  }
  if (show.date) {
    if (parts++ > 0) lineBytes.copy(META_SEPARATOR, 0, META_SEPARATOR.length);
    plain = addLineText(post.date) && plain;
  }
  if (show.readers && post.readers !== null) {
    if (parts++ > 0) lineBytes.copy(META_SEPARATOR, 0, META_SEPARATOR.length);
    lineBytes.number(post.readers);
    lineBytes.copy(READERS, 0, READERS.length);
  }
  if (parts > 0) {
    if (blocks++ > 0) out.copy(BLANK_LINE, 0, BLANK_LINE.length);
    writeLine(out, plain, PARAGRAPHS, escaper);
  }
  if (lineBytes.bytes.length > LINE_BYTES_KEPT) lineBytes = new OutputBuffer(256);
  if (show.excerpt && post.excerptUtf8.length > 0) {
    if (blocks++ > 0) out.copy(BLANK_LINE, 0, BLANK_LINE.length);
    escaper.write(out, post.excerptUtf8, PARAGRAPHS);
  }
  out.copy(BLANK_LINE, 0, BLANK_LINE.length);
}

/**
 * The Markdown writer's fast path (issue 17): a title or metadata line with nothing for the escaper
 * to do is copied as it is. Off only in the tests that prove it writes what the escaper writes.
 */
export const markdownFastPath = { enabled: true };

/** Appends `text` to `lineBytes`; whether it is plain: no byte the escaper acts on, nor a surrogate (then encoded as `text` is). */
function addLineText(text: string): boolean {
  lineBytes.reserve(3 * text.length);
  const end = utf8IntoPlain(text, lineBytes.bytes, lineBytes.length, LINE.marks);
  if (end !== -1) {
    lineBytes.length = end;
    return true;
  }
  lineBytes.text(text);
  return false;
}

/**
 * Writes the line built in `lineBytes`: escaped, or, when its parts are `plain` and its first byte
 * neither white space nor what may start a block (`#`, `-`, a digit), as it is: what the escaper
 * would write, without its set-up (two lines a post cost `-f md` more than its excerpt's escaping:
 * measured, issue 17).
 */
function writeLine(out: OutputBuffer, plain: boolean, layout: Layout, escaper: MarkdownEscaper): void {
  const n = lineBytes.length;
  const first = lineBytes.bytes[0] as number;
  if (plain && markdownFastPath.enabled && (n === 0 || (first !== 0x20 && first !== 0x09 && BLOCK_START[first] === 0 && !isDigit(first)))) {
    out.copy(lineBytes.bytes, 0, n);
    return;
  }
  escaper.write(out, lineBytes.bytes.subarray(0, n), layout);
}

const HEADING = utf8('## ');
const LINKED_HEADING = utf8('## [');
const BLANK_LINE = utf8('\n\n');
const META_SEPARATOR = utf8(' · ');
const READERS = utf8(' readers');

function writeCell(out: OutputBuffer, post: RawPost, field: PostField, escaper: MarkdownEscaper): void {
  if (field === 'excerpt') return escaper.write(out, post.excerptUtf8, CELL);
  const value = fieldValue(post, field);
  if (value === null) return;
  const linked = field === 'title' && post.url !== null;
  if (linked) out.byte(0x5b);
  escaper.write(out, utf8Of(Array.isArray(value) ? value.join(', ') : typeof value === 'number' ? numberText(value) : value), CELL);
  if (linked) out.text(`](${linkTarget(post.url as string)})`);
}

/**
 * A trailing `#` run of a heading would read as its optional closing sequence: its first `#` is
 * escaped, or its second when the first is escaped already (`\#`, from a title that is all `#`).
 * The escaped title is `out`'s bytes from `start` on.
 */
function escapeClosingHashes(out: OutputBuffer, start: number): void {
  const end = out.length;
  let run = end;
  while (run > start && out.bytes[run - 1] === HASH) run--;
  if (run === end) return;
  const at = run === start || out.bytes[run - 1] !== BACKSLASH ? run : end - run >= 2 ? run + 1 : -1;
  if (at === -1) return;
  out.reserve(1);
  out.bytes.copyWithin(at + 1, at, end);
  out.bytes[at] = BACKSLASH;
  out.length = end + 1;
}

function linkTarget(url: string): string {
  return /[\s()<>]/.test(url) ? `<${url.replace(/[<>\s]/g, encodeURIComponent)}>` : url;
}

const BACKSLASH = 0x5c;
const DOLLAR = 0x24;
const HASH = 0x23;
const NEWLINE = 0x0a;

/** How text is laid out: what a line break becomes, whether pipes are escaped (a table cell). */
interface Layout {
  /** What a `\n` outside math becomes. */
  lineBreak: Uint8Array;
  /** Outside math: what the scan stops at. */
  marks: Uint8Array;
  /** In a table cell, `|` is escaped everywhere and a `\n` inside math becomes `<br>`. */
  cell: boolean;
}

// Inline markup anywhere: code, emphasis, links, HTML, entities, strikethrough, stray math signs,
// and the line breaks. A backslash matters only before punctuation or at a line's end, so
// `\mathcal` outside math stays as is.
const INLINE = '\n\\`*_[]<>&~$';
const PARAGRAPHS: Layout = { lineBreak: utf8('\n\n'), marks: marks(INLINE), cell: false };
const LINE: Layout = { lineBreak: utf8(' '), marks: marks(INLINE), cell: false };
const CELL: Layout = { lineBreak: utf8(' '), marks: marks(`${INLINE}|`), cell: true };
const CELL_MATH = marks('|\n');
const ESCAPE = utf8('\\');
const CELL_BREAK = utf8('<br>');
const NOTHING = new Uint8Array(0);
/** What a backslash is escaped before: ASCII punctuation, a line break, (and the end, tested apart). */
const ESCAPED_BACKSLASH_BEFORE = marks(
  '\n',
  (b) => (b >= 0x21 && b <= 0x2f) || (b >= 0x3a && b <= 0x40) || (b >= 0x5b && b <= 0x60) || (b >= 0x7b && b <= 0x7e),
);
/** What starts a block at the beginning of a paragraph: headings, lists, quotes, breaks, setext underlines. */
const BLOCK_START = marks('#-+=');
const isDigit = (b: number): boolean => b >= 0x30 && b <= 0x39;

/**
 * Escapes UTF-8 text for Markdown, from its bytes (every byte it acts on is ASCII). One scan: text
 * is copied in runs between the bytes that need something, and math found at a `$` or `\` is
 * copied as is.
 */
class MarkdownEscaper {
  private readonly math = new MathSpans();
  private out = new OutputBuffer(0);
  private src: Uint8Array = NOTHING;
  private words = wordsOf(NOTHING.buffer);
  /** Where the next byte goes. */
  private at = 0;
  /** `src[run, ...)` is text still to copy. */
  private run = 0;

  write(out: OutputBuffer, src: Uint8Array, layout: Layout): void {
    const n = src.length;
    this.out = out;
    this.src = src;
    const words = wordsOf(src.buffer);
    this.words = words;
    this.math.reset(src);
    this.run = 0;
    out.reserve(n + (n >>> 3) + 8);
    this.at = out.length;
    let i = this.lineStart(0);
    for (;;) {
      const k = nextMarked(src, words, i, layout.marks);
      if (k === n) break;
      const b = src[k] as number;
      if (b === NEWLINE) {
        this.put(k, layout.lineBreak, 1);
        i = this.lineStart(k + 1);
        continue;
      }
      if (b === DOLLAR || b === BACKSLASH) {
        const end = this.math.spanAt(k);
        if (end !== -1) {
          if (layout.cell) this.cellMath(k, end);
          i = end;
          continue;
        }
        if (b === BACKSLASH && k + 1 < n && ESCAPED_BACKSLASH_BEFORE[src[k + 1] as number] === 0) {
          i = k + 1;
          continue;
        }
      }
      this.put(k, ESCAPE, 0);
      i = k + 1;
    }
    this.put(n, NOTHING, 0);
    out.length = this.at;
    // Nothing kept of a text once it is written (an excerpt can be large).
    this.src = NOTHING;
    this.math.reset(NOTHING);
  }

  /** Copies the text up to `k`, then `bytes`; the text from `k + skip` on is still to copy. */
  private put(k: number, bytes: Uint8Array, skip: number): void {
    let dst = this.out.bytes;
    // Room for this and for the rest unescaped; more is made only when escapes are dense.
    const need = this.at + (this.src.length - this.run) + bytes.length;
    if (need > dst.length) {
      this.out.length = this.at;
      this.out.reserve(need - this.at + (this.src.length >>> 3));
      dst = this.out.bytes;
    }
    let at = copyRun(dst, this.at, this.src, this.run, k);
    for (let j = 0; j < bytes.length; j++) dst[at++] = bytes[j] as number;
    this.at = at;
    this.run = k + skip;
  }

  /**
   * At the start of a line (at `i`): leading blanks, which would make an indented code block, are
   * dropped; a block start (`#`, `-`, `1.`) is escaped. Returns where the scan goes on.
   */
  private lineStart(i: number): number {
    const src = this.src;
    const n = src.length;
    let j = i;
    while (j < n && (src[j] === 0x20 || src[j] === 0x09)) j++;
    this.run = j;
    if (j === n) return j;
    const b = src[j] as number;
    if (BLOCK_START[b] !== 0) {
      this.put(j, ESCAPE, 0);
      return j + 1;
    }
    if (!isDigit(b)) return j;
    let end = j + 1;
    while (end < n && isDigit(src[end] as number)) end++;
    if (end < n && (src[end] === 0x2e || src[end] === 0x29)) {
      // `1.` and `1)` start an ordered list: the escape goes before the dot.
      this.put(end, ESCAPE, 0);
      return end + 1;
    }
    return end;
  }

  /** Math in a table cell: as is, but for `|`, escaped, and `\n`, a `<br>`. */
  private cellMath(start: number, end: number): void {
    for (let k = nextMarked(this.src, this.words, start, CELL_MATH, end); k < end; k = nextMarked(this.src, this.words, k + 1, CELL_MATH, end)) {
      if (this.src[k] === NEWLINE) this.put(k, CELL_BREAK, 1);
      else this.put(k, ESCAPE, 0);
    }
  }
}

const UNKNOWN = -2;

/**
 * Where math starts and ends in one text, for renderers (MathJax, KaTeX, Obsidian, GitHub) to
 * typeset: `$$...$$` (not after `\`), `\begin{env}...\end{env}`, `\[...\]`, `\(...\)` (each to its
 * first closer), and inline `$...$` (within a line, no white space inside either dollar); a `\$` is
 * an escaped dollar. This is what one regular expression of lazy alternatives matched, leftmost
 * first, but in linear time: the expression searched to the end of the text from every opener that
 * has no closer (`\(` × 320,000 took 24 s). Here an opener is tried only when its closer occurs
 * after it: the last closer of each kind is found once, when first needed.
 */
class MathSpans {
  private src: Uint8Array = NOTHING;
  /** The text as a Buffer, for Node's substring search; made when first needed. */
  private view: Buffer | null = null;
  private lastDisplay = UNKNOWN;
  private lastBracket = UNKNOWN;
  private lastParen = UNKNOWN;
  /** The last `\end{name}` of each name. */
  private lastEnd: Map<string, number> | null = null;

  reset(src: Uint8Array): void {
    this.src = src;
    this.view = null;
    this.lastDisplay = UNKNOWN;
    this.lastBracket = UNKNOWN;
    this.lastParen = UNKNOWN;
    this.lastEnd = null;
  }

  /** The end of the math that starts at `at` (a `$` or a `\`), or -1 when none does. */
  spanAt(at: number): number {
    const src = this.src;
    const n = src.length;
    if (src[at] === DOLLAR) {
      if (at > 0 && src[at - 1] === BACKSLASH) return -1;
      if (at + 1 < n && src[at + 1] === DOLLAR) {
        if (this.lastDisplay === UNKNOWN) this.lastDisplay = this.text().lastIndexOf(DISPLAY);
        const end = this.upTo(DISPLAY, this.lastDisplay, at + 3);
        if (end !== -1) return end;
      }
      return this.inlineEnd(at);
    }
    const next = at + 1 < n ? src[at + 1] : -1;
    if (next === 0x5b) {
      if (this.lastBracket === UNKNOWN) this.lastBracket = this.text().lastIndexOf(BRACKET_CLOSE);
      return this.upTo(BRACKET_CLOSE, this.lastBracket, at + 3);
    }
    if (next === 0x28) {
      if (this.lastParen === UNKNOWN) this.lastParen = this.text().lastIndexOf(PAREN_CLOSE);
      return this.upTo(PAREN_CLOSE, this.lastParen, at + 3);
    }
    if (!startsWith(src, at, BEGIN)) return -1;
    const nameEnd = envNameEnd(src, at + BEGIN.length);
    if (nameEnd === -1) return -1;
    const name = latin1(src, at + BEGIN.length, nameEnd);
    this.lastEnd ??= this.lastEnds();
    const last = this.lastEnd.get(name);
    return last === undefined ? -1 : this.upTo(endOf(name), last, nameEnd + 1);
  }

  private text(): Buffer {
    this.view ??= Buffer.from(this.src.buffer, this.src.byteOffset, this.src.length);
    return this.view;
  }

  /** The end of the first `closer` at or after `from`, when the last one (`last`) is there; else -1. */
  private upTo(closer: Uint8Array, last: number, from: number): number {
    return last >= from ? this.text().indexOf(closer, from) + closer.length : -1;
  }

  /** Where each environment name's last `\end{name}` is. */
  private lastEnds(): Map<string, number> {
    const text = this.text();
    const ends = new Map<string, number>();
    for (let at = text.indexOf(END); at !== -1; at = text.indexOf(END, at + 1)) {
      const nameEnd = envNameEnd(text, at + END.length);
      if (nameEnd !== -1) ends.set(latin1(text, at + END.length, nameEnd), at);
    }
    return ends;
  }

  /**
   * Inline math from the `$` at `at`, as `/\$(?=\S)[^$\n]*?\S\$/y` matched it: a non-space right
   * after the `$`, then the first `$` that follows a non-space, with no `$` or line break between.
   */
  private inlineEnd(at: number): number {
    const src = this.src;
    const n = src.length;
    let q = at + 1;
    if (q >= n || isSpaceAt(src, q)) return -1;
    for (;;) {
      const b = src[q] as number;
      const next = q + utf8Length(b);
      if (next < n && src[next] === DOLLAR && !isSpaceAt(src, q)) return next + 1;
      if (b === DOLLAR || b === NEWLINE || next >= n) return -1;
      q = next;
    }
  }
}

const DISPLAY = utf8('$$');
const BRACKET_CLOSE = utf8('\\]');
const PAREN_CLOSE = utf8('\\)');
const END = utf8('\\end{');
/** `\end{name}` of the names met lately (a run meets few). */
const endCloser = new Map<string, Uint8Array>();
function endOf(name: string): Uint8Array {
  let closer = endCloser.get(name);
  if (closer === undefined) {
    if (endCloser.size > 64) endCloser.clear();
    closer = utf8(`\\end{${name}}`);
    endCloser.set(name, closer);
  }
  return closer;
}
const BEGIN = utf8('\\begin{');
const isEnvNameByte = (b: number): boolean => (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2a;

/** After `\begin{` or `\end{` (at `from`): the index of the `}` that closes a name of `[A-Za-z*]+`, or -1. */
function envNameEnd(src: Uint8Array, from: number): number {
  let end = from;
  while (end < src.length && isEnvNameByte(src[end] as number)) end++;
  return end > from && src[end] === 0x7d ? end : -1;
}

function startsWith(src: Uint8Array, at: number, prefix: Uint8Array): boolean {
  if (at + prefix.length > src.length) return false;
  for (let k = 0; k < prefix.length; k++) if (src[at + k] !== prefix[k]) return false;
  return true;
}

function latin1(src: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let k = start; k < end; k++) s += String.fromCharCode(src[k] as number);
  return s;
}

/** The length of the UTF-8 sequence that `lead` starts. */
function utf8Length(lead: number): number {
  return lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
}

/** Whether the character at `q` is white space as `\s` has it (`/\s/` over every code point: a test checks the list). */
export function isSpaceAt(src: Uint8Array, q: number): boolean {
  const b = src[q] as number;
  if (b < 0x80) return b === 0x20 || (b >= 0x09 && b <= 0x0d);
  if (b >= 0xf0) return false;
  const c =
    b < 0xe0
      ? ((b & 0x1f) << 6) | ((src[q + 1] as number) & 0x3f)
      : ((b & 0x0f) << 12) | (((src[q + 1] as number) & 0x3f) << 6) | ((src[q + 2] as number) & 0x3f);
  return (
    c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}
