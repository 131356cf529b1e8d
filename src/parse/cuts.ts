import type { Buffer } from 'node:buffer';
import { isBlank } from './bytes.js';
import { HeaderBytes, READERS } from './header-bytes.js';

const LF = 0x0a;
const CR = 0x0d;

/**
 * Where a dump may be cut for a segment of its own (see `src/segments.ts`): before a title line
 * whose header follows (blank lines between), so that a fresh engine starting there opens the same
 * post as the engine that read everything before. Offsets are into the buffer searched.
 */
export interface Cut {
  /** The title line's first byte: a line's start (after an LF). */
  at: number;
  /** Just past the header line's LF: where the engine before the cut has opened the post, and stops. */
  headerEnd: number;
  /** Line ends from `at` to the header line's start: the header is that many lines below the title. */
  titleToHeader: number;
}

const headers = new HeaderBytes();

/**
 * The first cut in `buf[from, to)`: a header of the seed's shape, ended by an LF within `to`, with
 * its title above it in the range, past `from`. Only a likely cut: whether the engine before it is
 * in the state a fresh one starts from is the engine's to say (`DumpEngine.opensPostAt`). Lines
 * with a lone CR or a BOM at the title's start are passed over (a fresh engine would read them
 * otherwise). Null when the range has none.
 */
export function findCut(buf: Buffer, from: number, to: number): Cut | null {
  for (let at = buf.indexOf(READERS, from); at !== -1 && at < to; at = buf.indexOf(READERS, at + READERS.length)) {
    const lf = buf.indexOf(LF, at);
    if (lf === -1 || lf >= to) return null;
    const headerStart = buf.lastIndexOf(LF, at) + 1;
    if (headerStart <= from) continue;
    const headerEnd = lf > headerStart && buf[lf - 1] === CR ? lf - 1 : lf;
    if (headers.parse(buf, headerStart, headerEnd) === null) continue;
    // The nearest non-blank line above: the title.
    let lineEnd = headerStart - 1;
    let titleToHeader = 1;
    while (lineEnd > from) {
      const start = buf.lastIndexOf(LF, lineEnd - 1) + 1;
      if (start <= from) break;
      const end = lineEnd > start && buf[lineEnd - 1] === CR ? lineEnd - 1 : lineEnd;
      if (!isBlank(buf, start, end)) {
        const title = start;
        const bom = buf[title] === 0xef && buf[title + 1] === 0xbb && buf[title + 2] === 0xbf;
        if (!bom && !hasLoneCR(buf, title, lf)) return { at: title, headerEnd: lf + 1, titleToHeader };
        break;
      }
      lineEnd = start - 1;
      titleToHeader++;
    }
  }
  return null;
}

function hasLoneCR(buf: Buffer, start: number, end: number): boolean {
  const range = buf.subarray(start, end);
  for (let cr = range.indexOf(CR); cr !== -1; cr = range.indexOf(CR, cr + 1)) if (buf[start + cr + 1] !== LF) return true;
  return false;
}

/**
 * Line ends in `buf[start, end)` as the line splitter counts them (LF, CRLF, a lone CR); `next` is
 * the byte after the range (-1 at the input's end), for a CR at its last byte.
 */
export function countLineEnds(buf: Buffer, start: number, end: number, next: number): number {
  // A view of the range: a search must not run on past it (memchr to the buffer's end, for each range).
  const range = buf.subarray(start, end);
  let n = 0;
  for (let lf = range.indexOf(LF); lf !== -1; lf = range.indexOf(LF, lf + 1)) n++;
  for (let cr = range.indexOf(CR); cr !== -1; cr = range.indexOf(CR, cr + 1)) {
    const after = cr + 1 < range.length ? range[cr + 1] : next;
    if (after !== LF) n++;
  }
  return n;
}
