import type { Buffer } from 'node:buffer';
import { skipSpace, skipSpaceBack } from './bytes.js';
import { daysInMonth, type Header } from './header.js';

/**
 * The fast path of the header grammar (issue 17): the seed's shape read on its UTF-8 bytes, without
 * decoding the line,
 *
 *     By <author> | YYYY-MM-DD | <digits>位读者 | 引用<first paragraph>
 *
 * one ASCII space on each side of the first two bars, the author neither empty nor edged with white
 * space nor holding a full-width bar, a valid date of that form, a count of digits. What follows the
 * count (white space, a bar of either width, `引用` or `Cite`) is read as `parseHeader` reads it.
 * Any other line gives null and is read by `parseHeader`, the one grammar; where this gives a
 * header, it is the one `parseHeader` gives for the decoded line (a property test holds it to
 * that), but for `restStart`, which counts bytes from the line's start.
 *
 * The engine uses it unless a test turns the fast paths off (`fast-path.ts`).
 */
export class HeaderBytes {
  /** The last author's bytes and string: a dump has few authors, so the string is rarely made. */
  private authorBytes: Uint8Array = new Uint8Array(0);
  private author = '';

  /** The header `buf[start, end)` is, or null when it is not of the seed's shape (it may still be one); `restStart` in bytes from `start`. */
  parse(buf: Buffer, start: number, end: number): Header | null {
    // `By ` and the author, up to ` | `.
    if (end - start < 30 || buf[start] !== 0x42 || buf[start + 1] !== 0x79 || buf[start + 2] !== 0x20) return null;
    const authorStart = start + 3;
    let bar = authorStart;
    while (bar < end && buf[bar] !== 0x7c) bar++;
    const authorEnd = bar - 1;
    if (bar + 16 > end || authorEnd <= authorStart || buf[authorEnd] !== 0x20 || buf[bar + 1] !== 0x20) return null;
    if (skipSpace(buf, authorStart, authorEnd) !== authorStart || skipSpaceBack(buf, authorStart, authorEnd) !== authorEnd) return null;
    for (let i = authorStart; i + 2 < authorEnd; i++) if (buf[i] === 0xef && buf[i + 1] === 0xbd && buf[i + 2] === 0x9c) return null;
    // ` YYYY-MM-DD | `
    const d = bar + 2;
    if (buf[d + 4] !== 0x2d || buf[d + 7] !== 0x2d || buf[d + 10] !== 0x20 || buf[d + 11] !== 0x7c || buf[d + 12] !== 0x20) return null;
    const year = digits(buf, d, 4);
    const month = digits(buf, d + 5, 2);
    const day = digits(buf, d + 8, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
    // `<digits>位读者`
    const countStart = d + 13;
    let i = countStart;
    let readers = 0;
    while (i < end && i - countStart < 15 && isDigit(buf[i] as number)) readers = readers * 10 + ((buf[i++] as number) - 0x30);
    if (i === countStart || i + 3 > end || buf[i] !== 0xe4 || buf[i + 1] !== 0xbd || buf[i + 2] !== 0x8d || !isReadersTail(buf, i + 3, end)) return null;
    // What `parseHeader` skips after the count: white space, a bar, white space, `引用` or `Cite`, white space.
    let rest = skipSpace(buf, i + 9, end);
    if (rest < end && buf[rest] === 0x7c) rest = skipSpace(buf, rest + 1, end);
    else if (rest + 2 < end && buf[rest] === 0xef && buf[rest + 1] === 0xbd && buf[rest + 2] === 0x9c) rest = skipSpace(buf, rest + 3, end);
    if (startsCite(buf, rest, end)) rest = skipSpace(buf, rest + 6, end);
    else if (startsEnglishCite(buf, rest, end)) rest = skipSpace(buf, rest + 4, end);
    return { author: this.authorOf(buf, authorStart, authorEnd), date: buf.toString('latin1', d, d + 10), readers, restStart: rest - start };
  }

  private authorOf(buf: Buffer, start: number, end: number): string {
    const known = this.authorBytes;
    let same = known.length === end - start;
    for (let k = 0; same && k < known.length; k++) same = known[k] === buf[start + k];
    if (!same) {
      // A copy: the line's chunk is reused.
      this.authorBytes = new Uint8Array(buf.subarray(start, end));
      this.author = buf.toString('utf8', start, end);
    }
    return this.author;
  }
}

/** The number written by `n` ASCII digits at `at`, or -1. */
function digits(buf: Buffer, at: number, n: number): number {
  let value = 0;
  for (let k = 0; k < n; k++) {
    const b = buf[at + k] as number;
    if (!isDigit(b)) return -1;
    value = value * 10 + b - 0x30;
  }
  return value;
}

function isDigit(b: number): boolean {
  return b >= 0x30 && b <= 0x39;
}

/** `读者` (after `位`, E4 BD 8D). */
function isReadersTail(buf: Buffer, at: number, end: number): boolean {
  return (
    at + 6 <= end && buf[at] === 0xe8 && buf[at + 1] === 0xaf && buf[at + 2] === 0xbb && buf[at + 3] === 0xe8 && buf[at + 4] === 0x80 && buf[at + 5] === 0x85
  );
}

/** `引用` (E5 BC 95 E7 94 A8). */
function startsCite(buf: Buffer, at: number, end: number): boolean {
  return (
    at + 6 <= end && buf[at] === 0xe5 && buf[at + 1] === 0xbc && buf[at + 2] === 0x95 && buf[at + 3] === 0xe7 && buf[at + 4] === 0x94 && buf[at + 5] === 0xa8
  );
}

/** `Cite` as a word of its own (what `\w` does not match follows it, or the line ends). */
function startsEnglishCite(buf: Buffer, at: number, end: number): boolean {
  if (at + 4 > end || buf[at] !== 0x43 || buf[at + 1] !== 0x69 || buf[at + 2] !== 0x74 || buf[at + 3] !== 0x65) return false;
  const next = buf[at + 4];
  return next === undefined || at + 4 >= end || !(isDigit(next) || (next >= 0x41 && next <= 0x5a) || (next >= 0x61 && next <= 0x7a) || next === 0x5f);
}
