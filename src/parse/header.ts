/**
 * The post header grammar, shared by text dumps and HTML meta lines:
 *
 *     By <author> | <date> | <N>位读者 | 引用<first paragraph>
 *     By Jianlin Su | 2026-03-19 | 5246 readers |
 *
 * Bars may be full-width (`｜`) and surrounded by any white space (NBSP, U+3000, tabs); counts may carry
 * thousands separators; `引用` (the English site's `Cite`) and everything after the last bar are optional.
 */

import type { HeaderFault } from '../types.js';

/** The fields of a header that parsed. */
export interface Header {
  author: string;
  /** `YYYY-MM-DD`, a real calendar date. */
  date: string;
  readers: number;
  /** Index in the line where the first excerpt paragraph starts (after `引用` or `Cite` and white space). */
  restStart: number;
}

/** A header, or the reason a line that looks like one does not parse, or null for ordinary text. */
export type HeaderResult = { header: Header } | { broken: HeaderFault } | null;

const DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const COUNT = /^(?:\d{1,3}(?:,\d{3})+|\d+)$/;

/** Whether a line starts a header (`By ` and a bar): a line of its own, never the continuation of the line before. */
export function startsHeader(text: string): boolean {
  return text.startsWith('By ') && (text.includes('|') || text.includes('｜'));
}

/**
 * Parses one line (or a long enough prefix of it) as a header. A scan, not a regular expression:
 * a pattern with three fields of "anything but a bar" between runs of white space backtracks
 * cubically on a line of `By` and spaces; this reads each character a bounded number of times.
 */
export function parseHeader(line: string): HeaderResult {
  const m = matchHeader(line);
  if (m === null) return looksLikeHeader(line) ? { broken: { fault: 'shape' } } : null;
  const { author, date: rawDate, count } = m;
  if (author === '') return { broken: { fault: 'no-author' } };
  const date = normalizeDate(rawDate);
  if (date === null) return { broken: { fault: 'date', date: rawDate } };
  if (count === '') return { broken: { fault: 'no-readers' } };
  if (!COUNT.test(count)) return { broken: { fault: 'readers', readers: count } };
  const readers = Number(count.replaceAll(',', ''));
  if (!Number.isSafeInteger(readers)) return { broken: { fault: 'readers-too-large', readers: count } };
  return { header: { author, date, readers, restStart: m.end } };
}

/**
 * `By <author> <bar> <date> <bar> <count> 位读者|reader(s) [<bar>] [引用|Cite]`, white space around each
 * part: each field runs to the next bar (so bars in the first paragraph never shift the fields) and
 * is trimmed; the count runs to the first `位读者` or `reader`/`readers` (as a whole word) before
 * the next bar. `end` is where the first paragraph starts.
 */
function matchHeader(line: string): { author: string; date: string; count: string; end: number } | null {
  const by = skipSpace(line, 0);
  if (!startsBy(line, by)) return null;
  const bar1 = nextBar(line, by + 3);
  const bar2 = bar1 === -1 ? -1 : nextBar(line, bar1 + 1);
  if (bar2 === -1) return null;
  const countStart = skipSpace(line, bar2 + 1);
  const bar3 = nextBar(line, countStart);
  const word = readersWord(line, countStart, bar3 === -1 ? line.length : bar3);
  if (word === null) return null;
  let end = skipSpace(line, word.end);
  if (isBar(line.charCodeAt(end))) end = skipSpace(line, end + 1);
  if (line.startsWith('引用', end)) end = skipSpace(line, end + 2);
  // The English link text, as a word of its own: not the start of a first paragraph ("Cited work...").
  else if (line.startsWith('Cite', end) && !isWordChar(line.charCodeAt(end + 4))) end = skipSpace(line, end + 4);
  return { author: line.slice(by + 2, bar1).trim(), date: line.slice(bar1 + 1, bar2).trim(), count: line.slice(countStart, word.start).trim(), end };
}

/**
 * Whether a line that does not parse starts like a header: `By ... | ... |`, or a reader count
 * (a digit, white space, `位读者`) after a bar. Prose such as "有100位读者" has no bar before the
 * count and stays quiet.
 */
function looksLikeHeader(line: string): boolean {
  const by = skipSpace(line, 0);
  if (startsBy(line, by)) {
    const bar = nextBar(line, by + 3);
    if (bar !== -1 && nextBar(line, bar + 1) !== -1) return true;
  }
  const bar = nextBar(line, 0);
  if (bar === -1) return false;
  for (let at = line.indexOf('位读者', bar); at !== -1; at = line.indexOf('位读者', at + 3)) {
    const digit = skipSpaceBack(line, at) - 1;
    if (digit > bar && isDigit(line.charCodeAt(digit))) return true;
  }
  return false;
}

/** `By` and a white-space character at `at`. */
function startsBy(line: string, at: number): boolean {
  return line.startsWith('By', at) && isSpace(line.charCodeAt(at + 2));
}

/** The first `位读者`, or `reader`/`readers` ending a word, in `line[from, to)`. */
function readersWord(line: string, from: number, to: number): { start: number; end: number } | null {
  const zh = line.indexOf('位读者', from);
  const limit = zh === -1 || zh >= to ? to : zh;
  for (let en = line.indexOf('reader', from); en !== -1 && en < limit; en = line.indexOf('reader', en + 1)) {
    // As `readers?\b` reads it: "readers" then a non-word character, else "reader" then one (`s` is a word character).
    if (line.charCodeAt(en + 6) === 0x73 && !isWordChar(line.charCodeAt(en + 7))) return { start: en, end: en + 7 };
    if (!isWordChar(line.charCodeAt(en + 6))) return { start: en, end: en + 6 };
  }
  return limit === to ? null : { start: zh, end: zh + 3 };
}

/** The index of the next `|` or `｜` from `from`, or -1. */
function nextBar(line: string, from: number): number {
  const ascii = line.indexOf('|', from);
  const wide = line.indexOf('｜', from);
  return ascii === -1 ? wide : wide === -1 ? ascii : Math.min(ascii, wide);
}

function skipSpace(line: string, at: number): number {
  while (isSpace(line.charCodeAt(at))) at++;
  return at;
}

/** The start of the white space that ends right before `at`. */
function skipSpaceBack(line: string, at: number): number {
  while (at > 0 && isSpace(line.charCodeAt(at - 1))) at--;
  return at;
}

function isBar(c: number): boolean {
  return c === 0x7c || c === 0xff5c;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** What `\w` matches (without the `u` flag): ASCII letters, digits and `_`. */
function isWordChar(c: number): boolean {
  return isDigit(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}

/** What `\s` matches, and `trim` removes: ECMAScript's WhiteSpace and LineTerminator. NaN (past the end) is not. */
function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

/** `YYYY-M-D` → `YYYY-MM-DD` when it names a real calendar date, else null. */
export function normalizeDate(text: string): string | null {
  const m = DATE.exec(text);
  if (m === null) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return text.length === 10 ? text : `${m[1]}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
