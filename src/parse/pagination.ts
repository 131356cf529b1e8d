import type { Buffer } from 'node:buffer';

// Pagination: only page numbers, arrows and 上一页/下一页, with at least an arrow or two numbers,
// so that a lone "3" (a numbered sub-heading) is not taken for it. One digit at a time: `(?:\d+|...)+`
// can split a run of digits in exponentially many ways before it fails (28 digits and an `x`: 14 s).
const PAGINATION_TOKENS = /^(?:[«»‹›]|上一页|下一页|\d|…|\.\.\.|\s)+$/u;
const PAGINATION_SIGN = /[«»‹›]|上一页|下一页|\d\s+\d/u;
/** First bytes a pagination bar can start with: « ‹ (0xC2, 0xE2), 上 下 (0xE4), a digit, `.`. */
export const PAGINATION_FIRST_BYTES = [0xc2, 0xe2, 0xe4, 0x2e, ...'0123456789'.split('').map((d) => d.charCodeAt(0))];
const PAGINATION_START = new Set(PAGINATION_FIRST_BYTES);

/** Whether the trimmed text `buf[start, end)` is a pagination bar (`« 1 2 3 »`, `‹ 上一页 1 2 … 9 下一页 ›`). */
export function isPagination(buf: Buffer, start: number, end: number): boolean {
  if (!PAGINATION_START.has(buf[start] as number)) return false;
  const text = buf.toString('utf8', start, end);
  return PAGINATION_TOKENS.test(text) && PAGINATION_SIGN.test(text);
}
