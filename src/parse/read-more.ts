import type { Buffer } from 'node:buffer';
import { Phrases, skipSpaceBack } from './bytes.js';

/**
 * A listing's link to the rest of a post (`阅读全文`, `继续阅读 »`, `Read more →`): never text of its
 * excerpt, as the HTML reader drops it (src/input/html-text.ts).
 */
export const READ_MORE_PHRASES = ['阅读全文', '继续阅读', 'read more', 'continue reading'];
const READ_MORE = new Phrases(READ_MORE_PHRASES);
// What may follow it: an arrow or an ellipsis, after white space or not.
const ARROWS = ['»', '>>', '→', '…', '...'].map((a) => new TextEncoder().encode(a));

/** Whether the trimmed text `buf[start, end)` is a read-more link. */
export function isReadMore(buf: Buffer, start: number, end: number): boolean {
  if (end - start > READ_MORE.longest + 8) return false;
  for (const arrow of ARROWS) {
    if (endsWith(buf, start, end, arrow)) {
      end = skipSpaceBack(buf, start, end - arrow.length);
      break;
    }
  }
  return READ_MORE.is(buf, start, end) === true;
}

function endsWith(buf: Buffer, start: number, end: number, bytes: Uint8Array): boolean {
  if (end - start < bytes.length) return false;
  for (let i = 0; i < bytes.length; i++) if (buf[end - bytes.length + i] !== bytes[i]) return false;
  return true;
}
