/**
 * The post header grammar, shared by text dumps and HTML meta lines:
 *
 *     By <author> | <date> | <N>位读者 | 引用<first paragraph>
 *     By Jianlin Su | 2026-03-19 | 5246 readers |
 *
 * Bars may be full-width (`｜`) and surrounded by any white space (NBSP, U+3000, tabs); counts may carry
 * thousands separators; `引用` and everything after the last bar are optional.
 */

/** The fields of a header that parsed. */
export interface Header {
  author: string;
  /** `YYYY-MM-DD`, a real calendar date. */
  date: string;
  readers: number;
  /** Index in the line where the first excerpt paragraph starts (after `引用` and white space). */
  restStart: number;
}

/** A header, or the reason a line that looks like one does not parse, or null for ordinary text. */
export type HeaderResult = { header: Header } | { broken: string } | null;

// `[^|｜]` keeps each field inside its bars, so bars in the first paragraph never shift the fields.
// Groups: author, date, count.
const HEADER = /^\s*By\s+([^|｜]*?)\s*[|｜]\s*([^|｜]*?)\s*[|｜]\s*([^|｜]*?)\s*(?:位读者|readers?\b)\s*(?:[|｜]\s*)?(?:引用\s*)?/;
// What makes a line "start like a header" when it does not parse: `By ... | ... |`, or a reader count
// after a bar. Prose such as "有100位读者" has no bar before the count and stays quiet.
const HEADER_LIKE = /^\s*By\s[^|｜]*[|｜][^|｜]*[|｜]|[|｜][^|｜]*\d\s*位读者/;
const DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const COUNT = /^(?:\d{1,3}(?:,\d{3})+|\d+)$/;

/** Parses one line (or a long enough prefix of it) as a header. */
export function parseHeader(line: string): HeaderResult {
  const m = HEADER.exec(line);
  if (m === null) {
    return HEADER_LIKE.test(line) ? { broken: 'does not match "By <author> | <date> | <N>位读者"' } : null;
  }
  const [, author = '', rawDate = '', count = ''] = m;
  if (author === '') return { broken: 'has no author' };
  const date = normalizeDate(rawDate);
  if (date === null) return { broken: `its date "${rawDate}" is not a real YYYY-MM-DD date` };
  if (count === '') return { broken: 'has no reader count' };
  if (!COUNT.test(count)) return { broken: `its reader count "${count}" is not a number` };
  const readers = Number(count.replaceAll(',', ''));
  if (!Number.isSafeInteger(readers)) return { broken: `its reader count "${count}" is too large` };
  return { header: { author, date, readers, restStart: m[0].length } };
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

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
