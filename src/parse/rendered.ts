import { Buffer } from 'node:buffer';
import { listMarker } from './bullets.js';
import { type Breaks, type Measure, WrapWidth } from './hard-wrap.js';
import { startsHeader } from './header.js';
import { framedHeading } from './heading-marks.js';
import type { Layout, LayoutHooks } from './layout.js';
import { type LayoutReader, lineInfo, type TextLineHandler } from './line-info.js';
import { isReferencesHeading, LinkNumbers, reference } from './link-numbers.js';

/**
 * The layouts of text browsers and converters (SPEC §10): lynx, links, elinks and w3m `-dump`,
 * html2text, pandoc `-t plain`. Their reader strips each one's decoration from every line —
 * link numbers and the References list, list markers, html2text's heading frames, the
 * indentation — and joins the lines the renderer wrapped, then hands the grammar the page's lines.
 */
interface Renderer {
  name: string;
  /** Links numbered in the text, their addresses in a References list at the end (lynx, elinks). */
  linkNumbers: boolean;
  /**
   * `blocks`: each block (between blank lines) is indented as its first line, by the layout's
   * indentation (lynx, links, elinks: three spaces) or as a quote, and keeps the indentation it has
   * beyond that (the page's preformatted code). `quotes`: html2text indents only quotes, by five spaces.
   */
  indentation: 'blocks' | 'quotes';
  /**
   * html2text: headings framed in asterisks, and `_` for the spaces of link text (`By_苏剑林_|_…`,
   * `继续阅读_»`). It puts no blank line between paragraphs, so a wrapped line and the start of the
   * next paragraph look alike: its lines are not joined.
   */
  html2text: boolean;
  measure: Measure;
  breaks: Breaks;
  /** Its default width (what counts where it breaks at spaces only). */
  width: number;
}

const renderer = (name: string, fields: Partial<Renderer>): Renderer => ({
  name,
  linkNumbers: false,
  indentation: 'blocks',
  html2text: false,
  measure: 'cells',
  breaks: 'anywhere',
  width: 80,
  ...fields,
});

const LYNX = renderer('lynx -dump', { linkNumbers: true, measure: 'chars', breaks: 'last-space', width: 79 });
const ELINKS = renderer('elinks -dump', { linkNumbers: true });
const LYNX_NOLIST = renderer('lynx -dump -nolist', { measure: 'chars', breaks: 'last-space', width: 79 });
const LINKS = renderer('links -dump', { measure: 'chars', breaks: 'spaces' });
const INDENTED = renderer('lynx -dump -nolist or links -dump', { measure: 'chars', breaks: 'last-space', width: 79 });
const W3M = renderer('w3m -dump', {});
const HTML2TEXT = renderer('html2text', { indentation: 'quotes', html2text: true, measure: 'chars', breaks: 'spaces', width: 79 });
const PANDOC = renderer('pandoc -t plain', { breaks: 'spaces', width: 72 });

// A wrapped line longer than this goes on as a line of its own: memory stays bounded whatever the input.
const MAX_JOINED_CHARS = 1 << 20;

/**
 * The renderer the first lines of a dump show (up to its first header), or null. What tells them
 * apart is where they differ on every page: html2text's frames, numbered links (lynx, elinks), the
 * indented header and chrome (lynx -nolist, links), the list markers of w3m (`  •`) and pandoc
 * (`-   `) in the menu above a header at the line's start.
 */
export function recognizeRendered(head: readonly string[]): Layout | null {
  const found = whichRenderer(head);
  return found === null ? null : { name: found.name, reader: (onLine, hooks) => new RenderedReader(found, onLine, hooks) };
}

function whichRenderer(head: readonly string[]): Renderer | null {
  // The header's first line: the head ends at a line with a reader count, which a wrap may have put on the next line.
  const header = head.findLast((l) => l.trimStart().startsWith('By ')) ?? head.at(-1) ?? '';
  if (head.some((l) => framedHeading(l.trim()) !== null || l.trimStart().startsWith('By_'))) return HTML2TEXT;
  if (numberedLinks(head) >= 3) return head.some((l) => l.includes('•') || l.trimStart().startsWith('Link: [')) ? ELINKS : LYNX;
  // The body indented three spaces, the header with it, and the page's chrome before it.
  if (header.startsWith('   By ') && head.slice(0, -1).some((l) => indentOf(l) === 3 || l.startsWith('     * '))) {
    if (head.some((l) => l.trimStart().startsWith('Link: '))) return LINKS;
    if (head.some((l) => l.includes('(BUTTON)') || l.trimStart().startsWith('#'))) return LYNX_NOLIST;
    return INDENTED;
  }
  if (!header.startsWith('By ')) return null;
  if (head.some((l) => l.startsWith('  • ') || (l.startsWith('[') && l.includes(' ]')))) return W3M;
  if (head.some((l) => l.startsWith('-   '))) return PANDOC;
  return null;
}

/** How many links the lines number in order from `[1]`. */
function numberedLinks(head: readonly string[]): number {
  const links = new LinkNumbers();
  for (const line of head) links.strip(line, 0);
  return links.count;
}

/** How many spaces a line starts with (elinks indents ordered list items with a no-break space too). */
function indentOf(line: string): number {
  let i = 0;
  while (line.charCodeAt(i) === 0x20 || line.charCodeAt(i) === 0xa0) i++;
  return i;
}

/** A line of the page in the making: the input lines of a wrapped one, joined when it is complete. */
interface Piece {
  parts: string[];
  chars: number;
  first: number;
  last: number;
  /** The last input line, as printed (its width tells whether the next one continues it). */
  raw: string;
  /** Where its continuation lines start: its indentation, or a list item's text column. */
  column: number;
  bullet: boolean;
  linkNumber: number;
}

class RenderedReader implements LayoutReader {
  private readonly layout: Renderer;
  private readonly onLine: TextLineHandler;
  private readonly hooks: LayoutHooks;
  private readonly links = new LinkNumbers();
  private readonly wrap: WrapWidth;
  private piece: Piece | null = null;
  /** The block's first line's indentation (-1 before it), and the text column of the list item in it (-1 outside one). */
  private blockIndent = -1;
  private itemColumn = -1;
  /** The References list: its heading held until the next line shows it is one; inside it; the number whose title elinks gave. */
  private heldHeading: { text: string; line: number } | null = null;
  private inReferences = false;
  private titled = 0;

  constructor(layout: Renderer, onLine: TextLineHandler, hooks: LayoutHooks) {
    this.layout = layout;
    this.onLine = onLine;
    this.hooks = hooks;
    this.wrap = new WrapWidth(layout.measure, layout.breaks, layout.width);
  }

  line(buf: Buffer, start: number, end: number, line: number): void {
    const raw = buf.toString('utf8', start, end).trimEnd();
    if (this.inReferences && this.referenceLine(raw, line)) return;
    if (raw.trim() === '') {
      this.flush();
      this.blockIndent = -1;
      this.itemColumn = -1;
      return;
    }
    const held = this.heldHeading;
    if (held !== null) {
      this.heldHeading = null;
      // The list's first line: `Visible links`, or a numbered address (a body's own `References` sub-heading has neither).
      const first = reference(raw);
      if (first === 'heading' || (first !== null && 'n' in first && 'url' in first)) {
        this.inReferences = true;
        this.noise(held.text, held.line);
        this.referenceLine(raw, line);
        return;
      }
      this.text(held.text, held.line);
    }
    if (this.layout.linkNumbers && isReferencesHeading(raw)) {
      this.flush();
      this.heldHeading = { text: raw, line };
      return;
    }
    this.text(raw, line);
  }

  end(): void {
    const held = this.heldHeading;
    this.heldHeading = null;
    if (held !== null) this.text(held.text, held.line);
    this.flush();
  }

  /** A line of the References list: noise, and an address for the grammar. False when the list has ended. */
  private referenceLine(raw: string, line: number): boolean {
    if (raw.trim() === '') return true;
    const r = reference(raw);
    if (r === null) {
      this.inReferences = false;
      return false;
    }
    if (r !== 'heading') {
      if ('n' in r) this.titled = r.n;
      if ('url' in r) this.hooks.link('n' in r ? r.n : this.titled, r.url);
    }
    this.noise(raw, line);
    return true;
  }

  /** An input line of text: its decoration stripped, then joined to the line it continues or begun as one. */
  private text(raw: string, line: number): void {
    this.wrap.see(raw);
    const indent = indentOf(raw);
    const marker = listMarker(raw, indent);
    let text = raw;
    let linkNumber = 0;
    if (this.layout.linkNumbers) {
      // The link a title is: the number right at its text's start (after a list marker).
      const stripped = this.links.strip(raw, indent + marker);
      text = stripped.text;
      linkNumber = stripped.first;
    }
    if (this.blockIndent === -1) this.blockIndent = indent;
    let column: number;
    let body: string;
    if (marker > 0) {
      column = indent + marker;
      this.itemColumn = column;
      body = text.slice(column);
    } else if (this.itemColumn !== -1 && indent >= this.itemColumn) {
      // A list item's continuation line, indented to its text.
      column = indent;
      body = text.trimStart();
    } else {
      this.itemColumn = -1;
      column = indent;
      body = this.unindent(text, indent);
    }
    if (this.layout.html2text) {
      const framed = framedHeading(body.trim());
      // Link text has `_` for its spaces: a framed heading is a title's link, and so is a line without spaces (a meta line's, a read-more link).
      if (framed !== null) body = framed.replaceAll('_', ' ');
      else if (!body.includes(' ') && body.replaceAll('_', '') !== '') body = body.replaceAll('_', ' ');
    }
    const piece = this.piece;
    const joins = !this.layout.html2text && marker === 0 && column === piece?.column && !startsHeader(body);
    if (piece !== null && joins && piece.chars < MAX_JOINED_CHARS && this.wrap.continues(piece.raw, raw)) {
      piece.parts.push(this.wrap.joint(piece.raw, body), body.trimStart());
      piece.chars += body.length + 1;
      piece.last = line;
      piece.raw = raw;
      return;
    }
    this.flush();
    this.piece = { parts: [body.trimEnd()], chars: body.length, first: line, last: line, raw, column, bullet: marker > 0, linkNumber };
  }

  /** A line without the layout's indentation: as much as its block's first line has (lynx, links, elinks), or a quote's five spaces (html2text). */
  private unindent(text: string, indent: number): string {
    if (this.layout.indentation === 'quotes') return indent > 0 && indent % 5 === 0 ? text.slice(indent) : text;
    return text.slice(Math.min(indent, this.blockIndent));
  }

  private flush(): void {
    const p = this.piece;
    if (p === null) return;
    this.piece = null;
    const bytes = Buffer.from(p.parts.join('').trimEnd(), 'utf8');
    this.onLine(bytes, 0, bytes.length, p.first, lineInfo(p.last, { bullet: p.bullet, linkNumber: p.linkNumber }));
  }

  private noise(text: string, line: number): void {
    this.flush();
    const bytes = Buffer.from(text, 'utf8');
    this.onLine(bytes, 0, bytes.length, line, lineInfo(line, { noise: true }));
  }
}
