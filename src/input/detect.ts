import { Buffer } from 'node:buffer';
import { usageError } from '../errors.js';

/** What an input is read as: a text dump, a saved HTML page, or `auto` (by its name, then its first bytes). */
export type InputType = 'auto' | 'text' | 'html';

export const INPUT_TYPES: readonly InputType[] = ['auto', 'text', 'html'];

/** `auto` narrowed by the input's name: `.html` and `.htm` are pages; anything else is decided by content. */
export function typeOfSource(source: string, type: InputType): InputType {
  if (!INPUT_TYPES.includes(type)) throw usageError(`unknown input type "${String(type)}" (auto, text or html)`);
  if (type !== 'auto') return type;
  return /\.html?$/i.test(source) ? 'html' : 'auto';
}

// How far into an input a document start is looked for.
const LOOK_BYTES = 64 * 1024;
// White space, comments and an XML declaration may come before it.
const LEAD = /^(?:[ \t\n\f\r]+|<!--[\s\S]*?-->|<\?[\s\S]*?\?>)*/;
const DOCUMENT_START = /^<(?:!doctype[ \t\n\f\r]+html|html|head|body)[ \t\n\f\r>/]/i;
// What a document start may still grow into while its bytes are cut off.
const OPENINGS = ['<!doctype html', '<html', '<head', '<body', '<!--', '<?'];

/**
 * Whether bytes (in any ASCII-compatible encoding) start an HTML document: a doctype, or an
 * `<html`, `<head` or `<body` tag, after white space, comments and an XML declaration. A `<`
 * alone proves nothing: dumps hold text such as `<eos>`. Null while the bytes so far cannot tell.
 */
export function startsHtmlDocument(bytes: Uint8Array, atEnd: boolean): boolean | null {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, LOOK_BYTES)).toString('latin1');
  const rest = head.slice((LEAD.exec(head)?.[0] ?? '').length);
  if (DOCUMENT_START.test(rest)) return true;
  if (atEnd || bytes.length >= LOOK_BYTES) return false;
  const start = rest
    .slice(0, 16)
    .toLowerCase()
    .replace(/[ \t\n\f\r]+/g, ' ');
  return rest.startsWith('<!--') || rest.startsWith('<?') || OPENINGS.some((o) => o.startsWith(start)) ? null : false;
}
