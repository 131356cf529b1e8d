import type { Buffer } from 'node:buffer';
import type { Header } from './header.js';

/**
 * What a renderer's layout tells about one line of text, beyond its words: the reader of a layout
 * (lynx's, Markdown's, ...) strips the decoration and hands the grammar the text with this. A
 * line of the plain layout (a browser's copy, the seed) has none: the grammar gets `null`.
 */
export interface LineInfo {
  /** The last input line this line was made of (a wrapped paragraph, a Markdown block): the first is the line number handed with it. */
  last: number;
  /** It was a list item: its marker (`*`, `•`, `-`, `1.`) is stripped. */
  bullet: boolean;
  /** The address the line links to as a whole (a Markdown link, a linked heading), or null. */
  href: string | null;
  /** lynx and elinks: the number of the link the line starts with (`[12]title`), or 0. */
  linkNumber: number;
  /** A line the layout knows belongs to no post (a References list): it ends the post before it. */
  noise: boolean;
  /** A clipping's page: this line stands for its title (front matter, MarkDownload's `# title`), and it may name the post's address and header. */
  page: ClippedPage | null;
}

/** What a web clipper's front matter says about the page it clipped. */
export interface ClippedPage {
  /** The page's address (`source`, `url`), when it names a post (`/archives/NNNN`), else null. */
  url: string | null;
  /** Its meta line, from the front matter's description, when that parses as a header. */
  header: Header | null;
  /** The input line of that description. */
  headerLine: number;
}

/** A line without anything to tell: the defaults for a layout's reader to change. */
export function lineInfo(last: number, fields: Partial<Omit<LineInfo, 'last'>> = {}): LineInfo {
  return { last, bullet: false, href: null, linkNumber: 0, noise: false, page: null, ...fields };
}

/** Receives one line of text: bytes `buf[start, end)` (valid only during the call), its first input line, and what its layout tells. */
export type TextLineHandler = (buf: Buffer, start: number, end: number, line: number, info: LineInfo | null) => void;

/**
 * How the lines of one layout reach the grammar: a reader of the layout's decoration that hands
 * on clean lines (or, for the plain layout, the input's lines as they are).
 */
export interface LayoutReader {
  /** One input line, without its terminator: bytes valid only during the call. */
  line(buf: Buffer, start: number, end: number, line: number): void;
  /** The input ended: hand on what is held back. */
  end(): void;
}
