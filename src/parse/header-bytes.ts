import { Buffer } from 'node:buffer';
import { bytesAt, skipSpace, skipSpaceBack } from './bytes.js';
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
export const READERS = Buffer.from('位读者');
export const WIDE_BAR = Buffer.from('｜');
const CITE = Buffer.from('引用');

export class HeaderBytes {
  /** The last header's author, as bytes and string: a dump has few authors, so the string is rarely made and the author's tests rarely run. */
  private authorBytes: Uint8Array = new Uint8Array(0);
  private author = '';
  /** The same for the last date (no date is ten zero bytes). */
  private readonly dateBytes = new Uint8Array(10);
  private date = '';

  /** The header `buf[start, end)` is, or null when it is not of the seed's shape (it may still be one); `restStart` in bytes from `start`. */
  parse(buf: Buffer, start: number, end: number): Header | null {
    // `By ` and the author, up to ` | `.
    if (end - start < 30 || buf[start] !== 0x42 || buf[start + 1] !== 0x79 || buf[start + 2] !== 0x20) return null;
    const authorStart = start + 3;
    let bar = authorStart;
    while (bar < end && buf[bar] !== 0x7c) bar++;
    const authorEnd = bar - 1;
    if (bar + 16 > end || authorEnd <= authorStart || buf[authorEnd] !== 0x20 || buf[bar + 1] !== 0x20) return null;
    // The last header's author passed these tests: most headers repeat it.
    const known = sameBytes(this.authorBytes, buf, authorStart, authorEnd);
    if (!known && !isPlainAuthor(buf, authorStart, authorEnd)) return null;
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
    if (i === countStart || !bytesAt(buf, i, end, READERS)) return null;
    // What `parseHeader` skips after the count: white space, a bar, white space, `引用` or `Cite`, white space.
    let rest = skipSpace(buf, i + READERS.length, end);
    if (rest < end && buf[rest] === 0x7c) rest = skipSpace(buf, rest + 1, end);
    else if (bytesAt(buf, rest, end, WIDE_BAR)) rest = skipSpace(buf, rest + WIDE_BAR.length, end);
    if (bytesAt(buf, rest, end, CITE)) rest = skipSpace(buf, rest + CITE.length, end);
    else if (startsEnglishCite(buf, rest, end)) rest = skipSpace(buf, rest + 4, end);
    if (!known) {
      // A copy: the line's chunk is reused.
      this.authorBytes = new Uint8Array(buf.subarray(authorStart, authorEnd));
      this.author = buf.toString('utf8', authorStart, authorEnd);
    }
    return { author: this.author, date: this.dateOf(buf, d), readers, restStart: rest - start };
  }

  /** The date at `at`: the last one's string when it repeats (a dump's posts come in order, a few a day). */
  private dateOf(buf: Buffer, at: number): string {
    if (!sameBytes(this.dateBytes, buf, at, at + 10)) {
      for (let k = 0; k < 10; k++) this.dateBytes[k] = buf[at + k] as number;
      this.date = buf.toString('latin1', at, at + 10);
    }
    return this.date;
  }
}

/** Whether an author of the seed's shape is `buf[start, end)`: not edged with white space, no full-width bar in it. */
function isPlainAuthor(buf: Buffer, start: number, end: number): boolean {
  if (skipSpace(buf, start, end) !== start || skipSpaceBack(buf, start, end) !== end) return false;
  for (let i = start; i + 2 < end; i++) if (bytesAt(buf, i, end, WIDE_BAR)) return false;
  return true;
}

/** Whether `buf[start, end)` holds the bytes of `known`. */
function sameBytes(known: Uint8Array, buf: Buffer, start: number, end: number): boolean {
  if (known.length !== end - start) return false;
  for (let k = 0; k < known.length; k++) if (known[k] !== buf[start + k]) return false;
  return true;
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

/** `Cite` as a word of its own (what `\w` does not match follows it, or the line ends). */
function startsEnglishCite(buf: Buffer, at: number, end: number): boolean {
  if (at + 4 > end || buf[at] !== 0x43 || buf[at + 1] !== 0x69 || buf[at + 2] !== 0x74 || buf[at + 3] !== 0x65) return false;
  const next = buf[at + 4];
  return next === undefined || at + 4 >= end || !(isDigit(next) || (next >= 0x41 && next <= 0x5a) || (next >= 0x61 && next <= 0x7a) || next === 0x5f);
}
