import { createRequire } from 'node:module';
import type * as Htmlparser2 from 'htmlparser2';
import { inputError } from '../errors.js';
import { isMathCopy } from './html-text.js';
import { skippingTokenizer } from './html-tokenizer.js';
import type { ChildNode, Document, Element, ParentNode, Text } from './dom.js';

/**
 * Elements nest at most this deep: past it, an element opens as a sibling of the innermost one
 * instead of inside it, and the page is read flat from there. It is the bound browsers use
 * (Chromium's and WebKit's HTML parsers, `kMaximumHTMLParserDOMTreeDepth`), so a page they show
 * nested is read nested here too. Without it, htmlparser2's stack of open elements (an array it
 * shifts and unshifts at its front) makes a page of 200,000 unclosed `<div>`s take minutes.
 */
export const MAX_DEPTH = 512;

/**
 * At most this many nodes (elements, attributes, runs of text, comments) in a page. A kexue.fm page
 * has one node for every 20 to 30 bytes of its source (an article with a long comment thread, 2 MB,
 * some 100,000); the densest markup (`<a>` after `<a>`) has one every 3 bytes, and its tree costs
 * about 550 bytes a node while it is read (measured: 1,000,000 nodes, 557 MiB peak RSS).
 */
export const MAX_NODES = 1_000_000;

/** A page is read whole, up to this many bytes (decoded, as UTF-8); a larger one is an error. */
export const MAX_PAGE_BYTES = 16 * 1024 * 1024;

/**
 * What one page may cost while it is read, whatever its markup, within `MAX_PAGE_BYTES` and
 * `MAX_NODES` (measured: at most 560 MiB peak RSS, for 1,000,000 nodes of `<a>`; a 16 MiB listing
 * of 80,000 posts, 430 MiB). `convert` runs no more jobs at once than the memory free for them.
 */
export const PAGE_MEMORY_BYTES = 600 * 1024 * 1024;

/** What a saved page is parsed into: its tree, where its lines start, and its first characters. */
export interface PageTree {
  doc: Document;
  lines: LineIndex;
  /** The first `HEAD_CHARS` characters of the page's source (a browser writes its `saved from url` comment there). */
  head: string;
  /** Whether the page holds anything but white space. */
  blank: boolean;
}

const HEAD_CHARS = 4096;

/**
 * Builds a page's tree as its text arrives, piece by piece, so that no piece of work is longer than
 * one piece of text (a signal is handled between two), and the page's text itself is not kept
 * whole beside its tree. The tree is made from htmlparser2's events as domhandler makes it (see
 * `dom.ts`), with fewer fields, by {@link TreeHandler}.
 */
export class PageTreeBuilder {
  private readonly handler: TreeHandler;
  private readonly parser: Htmlparser2.Parser;
  private readonly lines = new LineIndex();
  private head = '';
  private blank = true;

  /** `source` names the page in errors; a page of more than `maxNodes` nodes is one. */
  constructor(source: string, maxNodes = MAX_NODES) {
    this.handler = new TreeHandler(source, maxNodes);
    ShallowParser ??= defineParser();
    this.parser = new ShallowParser(this.handler);
  }

  write(text: string): void {
    if (this.head.length < HEAD_CHARS) this.head += text.slice(0, HEAD_CHARS - this.head.length);
    if (this.blank && /\S/u.test(text)) this.blank = false;
    this.lines.add(text);
    this.parser.write(text);
  }

  end(): PageTree {
    this.parser.end();
    return { doc: this.handler.root, lines: this.lines, head: this.head, blank: this.blank };
  }
}

/**
 * Makes the tree of htmlparser2's events, node for node what domhandler's DomHandler makes (the
 * same nodes, the same runs of text joined), and allows `maxNodes` nodes: elements, attributes,
 * texts, comments, and the doctype and processing instructions, which no reader looks at and so
 * are counted without being kept. What MathJax rendered (a math copy: its TeX is in the script
 * beside it) is kept as an element without children: no reader looks inside one, and it is a third
 * of a listing page's elements; what it holds is counted all the same.
 */
class TreeHandler implements Partial<Htmlparser2.Handler> {
  readonly root: Document = { type: 'root', children: [], parent: null, startIndex: 0 };
  private readonly source: string;
  private readonly maxNodes: number;
  private nodes = 0;
  private readonly open: ParentNode[] = [this.root];
  /** The text node that text coming next joins: htmlparser2 hands a run of text over in pieces. */
  private text: Text | null = null;
  /** How many elements are open in the math copy passed over, itself included (0: none). */
  private passing = 0;
  /** In a math copy, the last node passed over is text: text coming next joins it, as one node. */
  private passedText = false;
  private parser: Htmlparser2.Parser | null = null;

  constructor(source: string, maxNodes: number) {
    this.source = source;
    this.maxNodes = maxNodes;
  }

  onparserinit(parser: Htmlparser2.Parser): void {
    this.parser = parser;
  }

  /** Whether what comes is inside a math copy, and so counted but not kept. */
  get passingOver(): boolean {
    return this.passing > 0;
  }

  onopentag(name: string, attribs: Record<string, string>): void {
    // Attributes count as nodes: an element of a million distinct ones costs as much as a million elements.
    for (const _ in attribs) this.count();
    if (this.passing > 0) {
      this.passing++;
      this.pass();
      return;
    }
    const parent = this.parent();
    const type = name === 'script' ? 'script' : name === 'style' ? 'style' : 'tag';
    const element: Element = { type, name, attribs, children: [], parent, startIndex: this.start() };
    this.add(parent, element);
    this.open.push(element);
    if (isMathCopy(element)) this.passing = 1;
  }

  onclosetag(): void {
    this.text = null;
    this.passedText = false;
    if (this.passing > 0 && --this.passing > 0) return;
    this.open.pop();
  }

  ontext(data: string): void {
    if (this.passing > 0) {
      if (!this.passedText) this.pass();
      this.passedText = true;
      return;
    }
    if (this.text !== null) {
      this.text.data += data;
      return;
    }
    const parent = this.parent();
    const text: Text = { type: 'text', data, parent, startIndex: this.start() };
    this.add(parent, text);
    this.text = text;
  }

  oncomment(data: string): void {
    if (this.passing > 0) return this.pass();
    const parent = this.parent();
    this.add(parent, { type: 'comment', data, parent, startIndex: this.start() });
  }

  onprocessinginstruction(): void {
    this.count();
    this.text = null;
    this.passedText = false;
  }

  private parent(): ParentNode {
    return this.open[this.open.length - 1] as ParentNode;
  }

  private start(): number {
    return this.parser?.startIndex ?? 0;
  }

  private add(parent: ParentNode, node: ChildNode): void {
    this.count();
    parent.children.push(node);
    this.text = null;
  }

  /** A node inside a math copy: counted, not kept. */
  private pass(): void {
    this.count();
    this.passedText = false;
  }

  private count(): void {
    if (++this.nodes > this.maxNodes) throw inputError('PAGE_TOO_LARGE', this.source, { limit: this.maxNodes, of: 'nodes' });
  }
}

/** htmlparser2's private stack of open element names (innermost first) and of foreign-content flags. */
interface ParserStacks {
  stack: string[];
  foreignContext: boolean[];
}

let ShallowParser: ReturnType<typeof defineParser> | undefined;

/**
 * A Parser that keeps elements at most `MAX_DEPTH` deep, over a tokenizer that skips runs of text
 * (see `html-tokenizer.ts`). htmlparser2 is loaded on the first page (a text dump never pays for
 * it), synchronously, so that `parse()` stays synchronous; the class is made once, for every page.
 */
function defineParser() {
  const { Parser, Tokenizer } = createRequire(import.meta.url)('htmlparser2') as typeof Htmlparser2;
  const SkippingTokenizer = skippingTokenizer(Tokenizer);

  return class ShallowParser extends Parser {
    private readonly stacks: ParserStacks;
    private readonly tree: TreeHandler;

    constructor(tree: TreeHandler) {
      super(tree, { Tokenizer: SkippingTokenizer });
      this.tree = tree;
      // The stack is htmlparser2's own (private) state: checked here, so that a version that
      // renames it fails at once rather than parsing without the bound.
      const stacks = this as unknown as Partial<ParserStacks>;
      if (!Array.isArray(stacks.stack) || !Array.isArray(stacks.foreignContext))
        throw new Error("htmlparser2's Parser no longer has the stacks postdump bounds");
      this.stacks = stacks as ParserStacks;
    }

    /** The tokenizer met `<name`: at the bound, the innermost element is closed first (as if its end tag came). */
    override onopentagname(start: number, endIndex: number): void {
      const { stack, foreignContext } = this.stacks;
      if (stack.length >= MAX_DEPTH) {
        stack.shift();
        this.tree.onclosetag();
        // Flags of foreign elements (svg, math) closed this way would pile up: only the innermost few matter.
        if (foreignContext.length > MAX_DEPTH) foreignContext.length = MAX_DEPTH;
      }
      super.onopentagname(start, endIndex);
    }

    // Inside a math copy, attribute values and text are never kept: not cut out of the page either.
    override onattribdata(start: number, endIndex: number): void {
      if (!this.tree.passingOver) super.onattribdata(start, endIndex);
    }

    override onattribentity(codepoint: number): void {
      if (!this.tree.passingOver) super.onattribentity(codepoint);
    }

    override ontext(start: number, endIndex: number): void {
      if (!this.tree.passingOver) return super.ontext(start, endIndex);
      // As htmlparser2's ontext sets them, for the nodes that follow.
      this.endIndex = endIndex - 1;
      this.tree.ontext('');
      this.startIndex = endIndex;
    }
  };
}

/**
 * 1-based line numbers of string indices, lines ended by LF, CRLF or a lone CR (as the text parser
 * counts them), built from the text piece by piece.
 */
export class LineIndex {
  private readonly starts: number[] = [0];
  private length = 0;
  /** The text so far ends with a CR: a LF first in the next piece belongs to the same line break. */
  private afterCr = false;

  add(text: string): void {
    if (text === '') return;
    if (text.includes('\r')) {
      for (const m of text.matchAll(/\r\n?|\n/g)) {
        const end = this.length + m.index + m[0].length;
        if (m.index === 0 && m[0] === '\n' && this.afterCr) this.starts[this.starts.length - 1] = end;
        else this.starts.push(end);
      }
    } else {
      // Lines ended by LF alone, as most pages' are: found by indexOf, some times faster than the pattern.
      let lf = text.indexOf('\n');
      if (lf === 0 && this.afterCr) {
        this.starts[this.starts.length - 1] = this.length + 1;
        lf = text.indexOf('\n', 1);
      }
      for (; lf !== -1; lf = text.indexOf('\n', lf + 1)) this.starts.push(this.length + lf + 1);
    }
    this.afterCr = text.endsWith('\r');
    this.length += text.length;
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
