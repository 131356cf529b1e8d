import type { Buffer } from 'node:buffer';

/**
 * A comment under an article shows its reader's name and its time (`李想` / `2022-06-14 10:31`),
 * then what the reader wrote, which may be a header pasted from another page. A comment is never a
 * post: the time line above such a header is never its title.
 */

const DIGIT = (b: number | undefined): boolean => b !== undefined && b >= 0x30 && b <= 0x39;
// `YYYY-MM-DD HH:MM`, the separator a space, html2text's `_` (it writes link text so) or ISO's `T`; `:SS` may follow.
const SHAPE = 'dddd-dd-dd_dd:dd';

/** Whether the trimmed text `buf[start, end)` is a comment's time. */
export function isCommentTime(buf: Buffer, start: number, end: number): boolean {
  const length = end - start;
  if (length !== SHAPE.length && length !== SHAPE.length + 3) return false;
  for (let i = 0; i < length; i++) {
    const b = buf[start + i];
    const want = i < SHAPE.length ? (SHAPE[i] as string) : i === SHAPE.length ? ':' : 'd';
    if (want === 'd' ? !DIGIT(b) : want === '_' ? b !== 0x20 && b !== 0x5f && b !== 0x54 : b !== want.charCodeAt(0)) return false;
  }
  return true;
}

// A reader's name before the colon: a few words, no sentence (`Jianlin Su`, `王芳`).
const MAX_NAME = 24;

/** Whether `text` reads as a comment of a list of them: a reader's name, a colon, what they wrote (`王芳: 感谢分享！`). */
export function isCommentLine(text: string): boolean {
  const colon = text.search(/[:：]/u);
  if (colon < 1 || colon > MAX_NAME || colon === text.length - 1) return false;
  const name = text.slice(0, colon);
  return name.trim() === name && !/[,，。.!！?？()（）《》【】|｜]/u.test(name);
}
