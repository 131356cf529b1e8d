import { type AnyNode, type Element, hasAtMostNodes, hasChildren, isComment, isTag, isText, pushReversed } from './dom.js';

/** A line of a page's visible text. */
export interface TextLine {
  text: string;
  /** Where the line's first text starts in the page's source (a string index). */
  at: number;
  /** The address of a link that makes up the whole line (a post title's), else null. */
  href: string | null;
}

/** What to leave out, beside what never shows: scripts, styles, the head, MathJax's rendered copies. */
export interface TextOptions {
  skip(el: Element): boolean;
  /** End at a `<!--more-->` comment: a listing's excerpt stops at its post's "more" break. */
  stopAtMore?: boolean;
}

// Each of these starts and ends a line; everything else flows inline.
const BLOCKS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'body',
  'caption',
  'center',
  'dd',
  'details',
  'dialog',
  'dir',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hgroup',
  'hr',
  'html',
  'legend',
  'li',
  'main',
  'menu',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'tfoot',
  'thead',
  'tr',
  'ul',
]);
const HIDDEN = new Set([
  'audio',
  'button',
  'canvas',
  'embed',
  'head',
  'iframe',
  'input',
  'noscript',
  'object',
  'script',
  'select',
  'style',
  'svg',
  'template',
  'textarea',
  'title',
  'video',
]);
// Output of MathJax 2 (HTML-CSS, SVG, CommonHTML, MathML, assistive) and 3: copies of the TeX kept in its scripts.
const MATH_COPIES = new Set([
  'MathJax_Preview',
  'MathJax',
  'MathJax_Display',
  'MathJax_SVG',
  'MathJax_SVG_Display',
  'MathJax_CHTML',
  'mjx-chtml',
  'MJXc-display',
  'MathJax_MathML',
  'MJX_Assistive_MathML',
]);
// A listing's link to the rest of a post: UI, not text.
const READ_MORE = /^(?:阅读全文|继续阅读|read more)\s*(?:»|>>|→|…|\.\.\.)?$/i;
const COLLAPSIBLE = /[ \t\n\f\r]+/g;
const SPACE = /[ \t\n\f\r]/;
const BLANK = /^\s*$/;

/**
 * The visible text of some nodes as lines, the way a browser lays it out: each block element on
 * lines of its own, white space collapsed, `<br>` a line break, `<pre>` lines kept as they are,
 * entities decoded; blank lines dropped. MathJax scripts become their TeX: `$...$`, and display math
 * `$$...$$` on a line of its own.
 */
export function textLines(nodes: readonly AnyNode[], options: TextOptions): TextLine[] {
  const builder = new LineBuilder(options);
  builder.walk(nodes);
  builder.flush();
  return builder.lines;
}

/** All the visible text of some nodes as one line (a title, a meta line, a link), but for the elements `skip` names. */
export function inlineText(nodes: readonly AnyNode[], skip: (el: Element) => boolean = () => false): string {
  return textLines(nodes, { skip })
    .map((l) => l.text)
    .join(' ');
}

class LineBuilder {
  readonly lines: TextLine[] = [];
  private readonly options: TextOptions;
  private parts: string[] = [];
  /** The line so far ends with collapsed white space, or is empty: the next white space is dropped. */
  private spaced = true;
  private at = -1;
  private href: string | null = null;
  /** The link that started the current line is closed: any text after it means it is not the whole line. */
  private linkClosed = false;
  private pre = 0;
  private stopped = false;

  constructor(options: TextOptions) {
    this.options = options;
  }

  /**
   * Reads nodes in document order with a stack of its own, not by recursion: htmlparser2 nests each
   * unclosed tag in the one before, so a page can be thousands of elements deep. After an element's
   * children, the stack holds what its end does (`LEAVE_*` flags), for the elements whose end matters.
   */
  walk(nodes: readonly AnyNode[]): void {
    const stack: Array<AnyNode | number> = [];
    pushReversed(stack, nodes);
    while (stack.length > 0) {
      const item = stack.pop() as AnyNode | number;
      if (typeof item === 'number') this.leave(item);
      else if (this.stopped) continue;
      else if (isText(item)) this.text(item.data, item.startIndex ?? 0);
      else if (isComment(item)) this.stopped = this.options.stopAtMore === true && item.data.trim() === 'more';
      else if (isTag(item)) this.enter(item, stack);
      else if (hasChildren(item)) pushReversed(stack, item.children);
    }
  }

  /** Starts an element: pushes what ends it and its children, unless they are not to be read. */
  private enter(el: Element, stack: Array<AnyNode | number>): void {
    const name = el.name;
    if (name === 'script') return this.math(el);
    if (HIDDEN.has(name) || el.attribs.hidden !== undefined || isMathCopy(el) || this.options.skip(el) || isReadMore(el)) return;
    if (name === 'br') return this.flush();
    if (name === 'td' || name === 'th') this.separate('\t');
    const block = BLOCKS.has(name);
    if (block) this.flush();
    const link = name === 'a' && this.parts.length === 0 && el.attribs.href !== undefined;
    if (link) {
      this.href = el.attribs.href ?? null;
      this.linkClosed = false;
    }
    if (name === 'pre') this.pre++;
    const leave = (link ? LEAVE_LINK : 0) | (block ? LEAVE_BLOCK : 0) | (name === 'pre' ? LEAVE_PRE : 0);
    if (leave !== 0) stack.push(leave);
    pushReversed(stack, el.children);
  }

  private leave(flags: number): void {
    if (flags & LEAVE_LINK) this.linkClosed = true;
    if (flags & LEAVE_BLOCK) this.flush();
    if (flags & LEAVE_PRE) this.pre--;
  }

  /** MathJax keeps each formula's TeX in a script: that is the text. Other scripts show nothing. */
  private math(el: Element): void {
    const type = (el.attribs.type ?? '')
      .toLowerCase()
      .split(';')
      .map((s) => s.trim());
    if (type[0] !== 'math/tex') return;
    // Line breaks inside TeX are spaces to TeX; here they would split a paragraph.
    const tex = plainText(el)
      .trim()
      .replace(/(?<!\s)\s*[\r\n]\s*/g, ' ');
    const at = el.startIndex ?? 0;
    if (!type.includes('mode=display')) return this.word(`$${tex}$`, at);
    this.flush();
    this.word(`$$${tex}$$`, at);
    this.flush();
  }

  private text(data: string, start: number): void {
    if (this.pre > 0) return this.preformatted(data, start);
    const collapsed = data.replace(COLLAPSIBLE, ' ');
    const text = this.spaced && collapsed.startsWith(' ') ? collapsed.slice(1) : collapsed;
    if (text === '') return;
    this.word(text, start + data.length - data.trimStart().length);
    this.spaced = text.endsWith(' ');
  }

  /** Text inside `<pre>`: its own line breaks, its white space kept. */
  private preformatted(data: string, start: number): void {
    let from = 0;
    for (const m of data.matchAll(/\r\n?|\n/g)) {
      this.word(data.slice(from, m.index), start + from);
      this.flush();
      from = m.index + m[0].length;
    }
    this.word(data.slice(from), start + from);
  }

  private word(text: string, at: number): void {
    if (text === '') return;
    if (this.at === -1) this.at = at;
    if (this.linkClosed && !BLANK.test(text)) this.href = null;
    this.parts.push(text);
    this.spaced = false;
  }

  private separate(separator: string): void {
    if (this.parts.length === 0) return;
    const last = this.parts.length - 1;
    this.parts[last] = (this.parts[last] as string).trimEnd();
    this.parts.push(separator);
    this.spaced = true;
  }

  flush(): void {
    const text = this.pre > 0 ? this.parts.join('') : withoutTrailingBlanks(this.parts.join(''));
    if (!BLANK.test(text)) this.lines.push({ text, at: this.at, href: this.href });
    this.parts = [];
    this.spaced = true;
    this.at = -1;
    this.href = null;
    this.linkClosed = false;
  }
}

/** `text` without the spaces and tabs it ends with (a loop: the pattern `[ \t]+$` is tried at every run of them). */
function withoutTrailingBlanks(text: string): string {
  let end = text.length;
  for (let c = text.charCodeAt(end - 1); c === 0x20 || c === 0x09; c = text.charCodeAt(end - 1)) end--;
  return end === text.length ? text : text.slice(0, end);
}

/** Whether an element is what MathJax rendered of a formula (its TeX is in a script beside it). */
export function isMathCopy(el: Element): boolean {
  return el.name === 'mjx-container' || hasClass(el, MATH_COPIES);
}

/** Whether an element has one of some classes. */
export function hasClass(el: Element, names: ReadonlySet<string>): boolean {
  const classes = el.attribs.class;
  if (classes === undefined) return false;
  // Asked of every element, several times: most have one class, which needs no split.
  if (!SPACE.test(classes)) return names.has(classes);
  return classes.split(COLLAPSIBLE).some((c) => names.has(c));
}

/** A read-more link (a few nodes at most: its text is not read for every link a page nests). */
function isReadMore(el: Element): boolean {
  return el.name === 'a' && hasAtMostNodes(el, 8) && READ_MORE.test(plainText(el).trim());
}

/** All text under an element, as is (a stack of its own, as `walk`). */
function plainText(node: AnyNode): string {
  let text = '';
  const stack: AnyNode[] = [node];
  while (stack.length > 0) {
    const n = stack.pop() as AnyNode;
    if (isText(n)) text += n.data;
    else if (hasChildren(n)) pushReversed(stack, n.children);
  }
  return text;
}

// What the end of an element does, for `walk`.
const LEAVE_LINK = 1;
const LEAVE_BLOCK = 2;
const LEAVE_PRE = 4;
