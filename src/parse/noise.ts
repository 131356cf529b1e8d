import { Buffer } from 'node:buffer';
import { skipSpace, skipSpaceBack } from './bytes.js';

/**
 * Headings of kexue.fm's sidebar and footer. Seen as a whole line after an excerpt, they end the
 * post: everything from there to the next title belongs to no post.
 */
const SIDEBAR_HEADINGS = ['最近评论', '随机文章', '最新评论', '热门标签', '友情链接', '点击加载更多'].map((h) => Buffer.from(h));

// Pagination: only page numbers, arrows and 上一页/下一页, with at least an arrow or two numbers,
// so that a lone "3" (a numbered sub-heading) is not taken for it. One digit at a time: `(?:\d+|...)+`
// can split a run of digits in exponentially many ways before it fails (28 digits and an `x`: 14 s).
const PAGINATION_TOKENS = /^(?:[«»‹›]|上一页|下一页|\d|…|\.\.\.|\s)+$/u;
const PAGINATION_SIGN = /[«»‹›]|上一页|下一页|\d\s+\d/u;
// First bytes a pagination bar can start with: « ‹ (0xC2, 0xE2), 上 下 (0xE4), a digit, `.`.
const PAGINATION_START = new Set([0xc2, 0xe2, 0xe4, 0x2e, ...'0123456789'.split('').map((d) => d.charCodeAt(0))]);

// Longer lines are never noise.
const MAX_NOISE_BYTES = 96;

/**
 * Whether a line is a sidebar heading or a pagination bar. This runs on every excerpt line, so bytes
 * are compared first and only a possible pagination bar is decoded.
 */
export function isNoiseLine(buf: Buffer, start: number, end: number): boolean {
  start = skipSpace(buf, start, end);
  end = skipSpaceBack(buf, start, end);
  if (end - start > MAX_NOISE_BYTES || end === start) return false;
  for (const heading of SIDEBAR_HEADINGS) {
    if (heading.length === end - start && sameBytes(buf, start, heading)) return true;
  }
  if (!PAGINATION_START.has(buf[start] as number)) return false;
  const text = buf.toString('utf8', start, end).trim();
  return PAGINATION_TOKENS.test(text) && PAGINATION_SIGN.test(text);
}

/** Whether `buf` holds `bytes` at `at` (a loop: `Buffer.compare`'s argument checks cost more for a dozen bytes). */
function sameBytes(buf: Buffer, at: number, bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (buf[at + i] !== bytes[i]) return false;
  return true;
}
