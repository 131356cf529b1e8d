import { Buffer } from 'node:buffer';
import { listMarker } from './bullets.js';
import type { LayoutReader, TextLineHandler } from './line-info.js';
import { recognizeMarkdown } from './markdown.js';
import { recognizeRendered } from './rendered.js';

/** What a layout's reader may tell the grammar besides lines. */
export interface LayoutHooks {
  /** lynx, elinks: the References list gives link `n` this address. */
  link(n: number, url: string): void;
}

/** A renderer's layout: its name for `check -v`, and the reader that strips its decoration. */
export interface Layout {
  /** `lynx -dump`, `Markdown`, ...; null for the plain layout (a browser's copy, the seed), which is not reported. */
  name: string | null;
  reader(onLine: TextLineHandler, hooks: LayoutHooks): LayoutReader;
}

/** The plain layout: lines as they are, no decoration to strip. */
export const PLAIN: Layout = {
  name: null,
  reader: (onLine) => ({
    line: (buf, start, end, line) => onLine(buf, start, end, line, null),
    end: () => {},
  }),
};

/** A layout recognised from the first lines of an input, or null when they do not show it. */
export type Recognizer = (head: readonly string[]) => Layout | null;

// The layouts, most telling first: each with its reader in its module.
const RECOGNIZERS: Recognizer[] = [recognizeMarkdown, recognizeRendered];

/** The layout the first lines of an input show: the first recognizer's that knows them, else plain. */
export function recognizeLayout(head: readonly string[]): Layout {
  for (const recognize of RECOGNIZERS) {
    const layout = recognize(head);
    if (layout !== null) return layout;
  }
  return PLAIN;
}

// The head is read up to its first header-like line, or up to this much.
const MAX_HEAD_LINES = 400;
const MAX_HEAD_BYTES = 64 * 1024;

/**
 * Holds an input's first lines until they show its layout (once: one layout per input): up to the
 * first that looks like a header, the line the renderers decorate most (`By [14]苏剑林 | ... |
 * [15]引用`, `<span class="submitted">By 苏剑林 \|`). Then the layout's reader gets them, and every
 * line after. In the seed's shape that is the second line.
 */
export class LayoutSniffer implements LayoutReader {
  private readonly choose: (layout: Layout) => LayoutReader;
  private head: Buffer[] = [];
  private lines: number[] = [];
  private bytes = 0;

  constructor(choose: (layout: Layout) => LayoutReader) {
    this.choose = choose;
  }

  line(buf: Buffer, start: number, end: number, line: number): void {
    // Copied: the bytes are valid only during the call.
    this.head.push(Buffer.from(buf.subarray(start, end)));
    this.lines.push(line);
    this.bytes += end - start;
    if (looksLikeHeader(buf, start, end) || this.head.length >= MAX_HEAD_LINES || this.bytes >= MAX_HEAD_BYTES) this.decide();
  }

  end(): void {
    this.decide().end();
  }

  /** The layout known from elsewhere (a segment of an input whose first lines decided it): its reader, no line held. */
  decided(layout: Layout): LayoutReader {
    return this.choose(layout);
  }

  private decide(): LayoutReader {
    const head = this.head;
    const lines = this.lines;
    this.head = [];
    this.lines = [];
    const reader = this.choose(recognizeLayout(head.map((b) => b.toString('utf8'))));
    for (const [i, b] of head.entries()) reader.line(b, 0, b.length, lines[i] as number);
    return reader;
  }
}

const READERS = Buffer.from('位读者');
const READERS_EN = Buffer.from('readers');
const WIDE_BAR = Buffer.from('｜');

/**
 * A line that may be a header under a renderer's decoration: `位读者`, or `readers` and a bar; not a
 * list item (a menu's link that reads like a header comes before the first post on some pages).
 */
function looksLikeHeader(buf: Buffer, start: number, end: number): boolean {
  const line = buf.subarray(start, end);
  if (!line.includes(READERS) && !(line.includes(READERS_EN) && (line.includes(0x7c) || line.includes(WIDE_BAR)))) return false;
  const text = line.toString('utf8');
  return listMarker(text, text.length - text.trimStart().length) === 0;
}
