/**
 * How renderers mark a heading: html2text frames it in asterisks, more for higher levels
 * (`****** h1 ******`, `***** h2 *****`, `**** h3 ****`); Markdown starts it with `#`…`######`.
 * Decoration on a title line, and on a sub-heading of an excerpt: the heading is the text inside.
 */

/** The heading inside html2text's frame of three or more asterisks, or null when `text` (trimmed) is none. */
export function framedHeading(text: string): string | null {
  let stars = 0;
  while (text.charCodeAt(stars) === 0x2a) stars++;
  if (stars < 3 || text.charCodeAt(stars) !== 0x20) return null;
  const close = text.length - stars;
  if (close <= stars + 1 || text.charCodeAt(close - 1) !== 0x20) return null;
  for (let i = close; i < text.length; i++) if (text.charCodeAt(i) !== 0x2a) return null;
  const inner = text.slice(stars + 1, close - 1).trim();
  return inner === '' ? null : inner;
}

/** The text of a Markdown ATX heading (`## title`, `### title ###`), or null when `text` is none. */
export function atxHeading(text: string): string | null {
  let level = 0;
  while (text.charCodeAt(level) === 0x23) level++;
  if (level === 0 || level > 6 || (level < text.length && text.charCodeAt(level) !== 0x20 && text.charCodeAt(level) !== 0x09)) return null;
  let end = text.trimEnd().length;
  // A closing run of `#` after white space belongs to the marks (CommonMark).
  let close = end;
  while (close > level && text.charCodeAt(close - 1) === 0x23) close--;
  if (close < end && (close === level || text.charCodeAt(close - 1) === 0x20 || text.charCodeAt(close - 1) === 0x09)) end = close;
  return text.slice(level, end).trim();
}
