import { isWide } from './hard-wrap.js';

/**
 * Markdown's inline marks, as pandoc `-t gfm` and the web clippers write a page (SPEC §10): the text
 * a reader sees, without them. Backslash escapes (`\|`, `\[1\]`, `\*可导\*`, `\<eos>`), emphasis and
 * strong marks (`*足够好*`, `_足够好_`, `**…**`), links (`[title](url "title")` keeps its text, an image
 * goes), autolinks (`<https://…>` keeps its address), inline HTML (`<span class="submitted">…</span>`,
 * `<a href="…">`, `<br>`) and its entities. Code spans and TeX (`$…$`, `$$…$$`) stay as
 * they are. One pass, each character read a bounded number of times.
 */

/** A paragraph's text, and the address it links to when it is one link (a title's), else null. */
export interface Inline {
  text: string;
  href: string | null;
}

// The HTML elements pandoc and the clippers leave in Markdown: any other `<word>` is text (`<eos>`).
const ELEMENTS = new Set(
  'a abbr b big blockquote br cite code dd del div dl dt em font h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark math mi mn mo mrow msub msup mtext nobr ol p pre q s samp script section small span strike strong style sub sup table tbody td th thead tr tt u ul'.split(
    ' ',
  ),
);
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', '#39': "'" };

/** The text of a paragraph of Markdown (its lines joined), and the one link it is, if it is one. */
export function inlineText(source: string): Inline {
  const closing = matching(source, 0x5b, 0x5d);
  const parens = matching(source, 0x28, 0x29);
  const out = new Output();
  /** The links read: their address and where their text is in `out`. */
  const links: { href: string; start: number; end: number }[] = [];
  /** The Markdown links being read, innermost last: where their `]` is, where their `(...)` ends. */
  const open: { close: number; after: number; href: string; start: number }[] = [];
  /** An `<a href>` being read. */
  let anchor: { href: string; start: number } | null = null;
  // What finds no end from some point on finds none further on either: each is looked for once.
  let tagsEnd = false;
  const unclosed = new Set<string>();
  let i = 0;
  while (i < source.length) {
    const c = source.charCodeAt(i);
    const top = open.at(-1);
    if (top !== undefined && i === top.close) {
      open.pop();
      links.push({ href: top.href, start: top.start, end: out.length });
      i = top.after;
      continue;
    }
    if (c === 0x5c && isPunctuation(source.charCodeAt(i + 1))) {
      out.add(source.charAt(i + 1));
      i += 2;
    } else if (c === 0x60 || c === 0x24) {
      // A code span's text, and TeX (`$…$`, `$$…$$`), as they are.
      const fence = c === 0x60 ? source.slice(i, i + runOf(source, i, 0x60)) : source.startsWith('$$', i) ? '$$' : '$';
      const end = unclosed.has(fence) ? -1 : source.indexOf(fence, i + fence.length);
      if (end === -1) {
        unclosed.add(fence);
        out.add(fence);
        i += fence.length;
      } else {
        out.add(c === 0x60 ? source.slice(i + fence.length, end).trim() : source.slice(i, end + fence.length));
        i = end + fence.length;
      }
    } else if (c === 0x3c && !tagsEnd) {
      const tag = readTag(source, i);
      if (tag === null) {
        // No `>` closes a tag from here: none will further on either.
        tagsEnd = true;
        out.add('<');
        i++;
      } else if (tag.autolink !== null) {
        out.add(tag.autolink);
        i = tag.end;
      } else if (tag.name === null) {
        out.add('<');
        i++;
      } else {
        // A line break inside a block: the block is one line of the page here (its lines are one place of the input).
        if (tag.name === 'br') out.add(' ');
        else if (tag.name === 'a' && tag.href !== null) anchor = { href: tag.href, start: out.length };
        else if (tag.name === '/a' && anchor !== null) {
          links.push({ href: anchor.href, start: anchor.start, end: out.length });
          anchor = null;
        }
        i = tag.end;
      }
    } else if ((c === 0x21 && source.charCodeAt(i + 1) === 0x5b) || c === 0x5b) {
      const image = c === 0x21;
      const bracket = image ? i + 1 : i;
      const close = closing[bracket] ?? -1;
      const destination = close === -1 ? null : linkDestination(source, close + 1, parens);
      if (destination === null) {
        out.add(source.charAt(i));
        i++;
      } else if (image) {
        // An image is not text: its alt text (`科学空间`) is the page's decoration.
        i = destination.end;
      } else {
        open.push({ close, after: destination.end, href: destination.href, start: out.length });
        i = bracket + 1;
      }
    } else if (c === 0x2a || c === 0x5f) {
      const run = runOf(source, i, c);
      if (isEmphasis(source, i, run, c)) {
        // Defuddle spaces emphasis out of Chinese text (`一个 *足够好* 的`): those spaces are its, not the page's.
        if (out.last === 0x20 && isWide(out.beforeLast) && isWide(source.codePointAt(i + run) ?? 0)) out.dropSpace();
        i += run;
        if (source.charCodeAt(i) === 0x20 && isWide(out.last) && isWide(source.codePointAt(i + 1) ?? 0)) i++;
      } else {
        out.add(source.slice(i, i + run));
        i += run;
      }
    } else if (c === 0x26) {
      const entity = readEntity(source, i);
      out.add(entity?.text ?? '&');
      i = entity?.end ?? i + 1;
    } else {
      out.add(source.charAt(i));
      i++;
    }
  }
  const all = out.text();
  const text = all.trim();
  // The paragraph is one link when a link holds all its text (`## [title](url)`, `<a href="…">title</a>`).
  const link = links.length === 1 ? (links[0] as { href: string; start: number; end: number }) : null;
  const whole = link !== null && all.slice(link.start, link.end).trim() === text;
  return { text, href: whole ? link.href : null };
}

/**
 * The text being made, in pieces joined at the end (adding to one string and reading its last
 * characters would copy it over and over), with its length and last two characters at hand.
 */
class Output {
  private readonly parts: string[] = [];
  length = 0;
  /** The last character's code point, and the one before (0 when there is none). */
  last = 0;
  beforeLast = 0;

  add(text: string): void {
    if (text === '') return;
    this.parts.push(text);
    this.length += text.length;
    const final = text.codePointAt(text.length - 1) ?? 0;
    const lastChar = final >= 0xdc00 && final <= 0xdfff ? (text.codePointAt(text.length - 2) ?? 0) : final;
    const width = lastChar > 0xffff ? 2 : 1;
    this.beforeLast = text.length > width ? (text.codePointAt(text.length - width - 1) ?? 0) : this.last;
    this.last = lastChar;
  }

  /** Drops the space that ends the text. */
  dropSpace(): void {
    const i = this.parts.length - 1;
    this.parts[i] = (this.parts[i] as string).slice(0, -1);
    this.length--;
    this.last = this.beforeLast;
    this.beforeLast = 0;
  }

  text(): string {
    return this.parts.join('');
  }
}

/** For each opening bracket (`[`, `(`) of `source`, the index of its closing one (escapes skipped, nesting matched): one pass with a stack. */
function matching(source: string, open: number, close: number): (number | undefined)[] {
  const closing: (number | undefined)[] = [];
  const stack: number[] = [];
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c === 0x5c) i++;
    else if (c === open) stack.push(i);
    else if (c === close && stack.length > 0) closing[stack.pop() as number] = i;
  }
  return closing;
}

/** A link's `(address "title")` right after its `]` at `at`: the address and where it ends, or null. */
function linkDestination(source: string, at: number, parens: (number | undefined)[]): { href: string; end: number } | null {
  const close = source.charCodeAt(at) === 0x28 ? parens[at] : undefined;
  if (close === undefined) return null;
  // The address, up to white space (a title may follow), without the `<...>` it may be written in.
  let start = at + 1;
  while (start < close && isSpace(source.charCodeAt(start))) start++;
  let end = start;
  while (end < close && !isSpace(source.charCodeAt(end))) end++;
  if (source.charCodeAt(start) === 0x3c && source.charCodeAt(end - 1) === 0x3e) return { href: source.slice(start + 1, end - 1), end: close + 1 };
  return { href: source.slice(start, end), end: close + 1 };
}

interface Tag {
  end: number;
  /** The element's name (`span`, `/a`), or null for a `<` that starts no tag: text. */
  name: string | null;
  href: string | null;
  /** `<https://…>`: the address, which is text. */
  autolink: string | null;
}

/** The HTML tag (or autolink) at `at`, or null when no `>` closes it. */
function readTag(source: string, at: number): Tag | null {
  let i = at + 1;
  const first = source.charCodeAt(i);
  const closing = first === 0x2f;
  if (closing) i++;
  const nameStart = i;
  while (i < source.length && isNameChar(source.charCodeAt(i))) i++;
  const name = source.slice(nameStart, i).toLowerCase();
  if (source.charCodeAt(i) === 0x3a && !closing && name !== '') {
    // `<scheme:…>`: an autolink, its address to the `>`, without white space.
    let end = i;
    while (end < source.length && source.charCodeAt(end) !== 0x3e && !isSpace(source.charCodeAt(end))) end++;
    if (source.charCodeAt(end) === 0x3e) return { end: end + 1, name: '', href: null, autolink: source.slice(at + 1, end) };
    // No `>` up to the end: no tag or autolink closes further on either.
    if (end === source.length) return null;
  }
  if (first === 0x21 && source.startsWith('<!--', at)) {
    const end = source.indexOf('-->', at + 4);
    return end === -1 ? null : { end: end + 3, name: '!--', href: null, autolink: null };
  }
  if (!ELEMENTS.has(name)) return { end: at + 1, name: null, href: null, autolink: null };
  let quote = 0;
  let href: string | null = null;
  for (; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 0x22 || c === 0x27) {
      if (name === 'a' && !closing && href === null && source.startsWith('href=', i - 5)) {
        const end = source.indexOf(source.charAt(i), i + 1);
        if (end !== -1) href = source.slice(i + 1, end);
      }
      quote = c;
    } else if (c === 0x3e) {
      return { end: i + 1, name: closing ? `/${name}` : name, href, autolink: null };
    }
  }
  return null;
}

/** `&amp;`, `&lt;`, `&#39;`, `&#x27;`: the character, and where the entity ends; null for a lone `&`. */
function readEntity(source: string, at: number): { text: string; end: number } | null {
  const semicolon = source.indexOf(';', at + 1);
  if (semicolon === -1 || semicolon - at > 10) return null;
  const text = entityText(source.slice(at + 1, semicolon));
  return text === null ? null : { text, end: semicolon + 1 };
}

/** The character an entity's name (`amp`, `#39`, `#x27`) stands for; null for a name it does not know or a number that is no character. */
export function entityText(name: string): string | null {
  const known = ENTITIES[name];
  if (known !== undefined) return known;
  const code = name.startsWith('#x') || name.startsWith('#X') ? Number.parseInt(name.slice(2), 16) : name.startsWith('#') ? Number(name.slice(1)) : Number.NaN;
  // Not NUL, not a surrogate (no character on its own), within Unicode.
  return Number.isInteger(code) && code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : null;
}

/**
 * Whether a run of `*` or `_` is an emphasis mark: not with white space on both sides (`1 < 2 * 3`),
 * and for `_`, not inside a word (`y_pred`), as CommonMark reads them; a literal one is escaped.
 */
function isEmphasis(source: string, at: number, run: number, c: number): boolean {
  const before = at === 0 ? Number.NaN : source.charCodeAt(at - 1);
  const after = source.charCodeAt(at + run);
  const space = (ch: number): boolean => Number.isNaN(ch) || isSpace(ch);
  if (space(before) && space(after)) return false;
  return c !== 0x5f || !isWordChar(before) || !isWordChar(after);
}

/** White space as Markdown's line joins and the renderers leave it. */
function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0xa0 || c === 0x3000;
}

/**
 * An ASCII letter or digit: `_` between two is part of a word (`y_pred`). Between Chinese characters
 * it is an emphasis mark: the clippers write `_足够好_` for `<em>`, whatever CommonMark makes of it.
 */
function isWordChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function runOf(source: string, at: number, c: number): number {
  let end = at;
  while (source.charCodeAt(end) === c) end++;
  return end - at;
}

/** ASCII punctuation: what a backslash escapes in Markdown. */
function isPunctuation(c: number): boolean {
  return (c >= 0x21 && c <= 0x2f) || (c >= 0x3a && c <= 0x40) || (c >= 0x5b && c <= 0x60) || (c >= 0x7b && c <= 0x7e);
}

function isNameChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x2d;
}
