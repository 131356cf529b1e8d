import type { Buffer } from 'node:buffer';

/**
 * Headings of kexue.fm's sidebar and footer. Seen as a whole line after an excerpt, they end the
 * post: everything from there to the next title belongs to no post.
 */
const SIDEBAR_HEADINGS = new Set(['最近评论', '随机文章', '最新评论', '热门标签', '友情链接', '点击加载更多']);

// Pagination: only page numbers, arrows and 上一页/下一页, with at least an arrow or two numbers,
// so that a lone "3" (a numbered sub-heading) is not taken for it.
const PAGINATION_TOKENS = /^(?:[«»‹›]|上一页|下一页|\d+|…|\.\.\.|\s)+$/u;
const PAGINATION_SIGN = /[«»‹›]|上一页|下一页|\d+\s+\d+/u;

// Longer lines are never noise; the test decodes only short lines.
const MAX_NOISE_BYTES = 96;

/** Whether a line is a sidebar heading or a pagination bar. */
export function isNoiseLine(buf: Buffer, start: number, end: number): boolean {
  if (end - start > MAX_NOISE_BYTES) return false;
  const text = buf.toString('utf8', start, end).trim();
  return SIDEBAR_HEADINGS.has(text) || (PAGINATION_TOKENS.test(text) && PAGINATION_SIGN.test(text));
}
