/**
 * List markers renderers put before list items: `*` (lynx, links, html2text), `•` (w3m, elinks),
 * `-` and `+` (pandoc, Markdown), `1.` and `1)` (ordered lists). Decoration on a title or header
 * line, and a list item's marker in an excerpt (the HTML reader leaves it out too); the plain
 * layout keeps lines as they are, where `1. 限制最大长度` is prose.
 */

/** The length of the list marker and the white space after it at `from` in `text`, or 0 when there is none. */
export function listMarker(text: string, from: number): number {
  let i = from;
  const c = text.charCodeAt(i);
  if (c === 0x2a || c === 0x2022 || c === 0x2d || c === 0x2b) {
    i++;
  } else {
    while (i < text.length && i - from < 4 && isDigit(text.charCodeAt(i))) i++;
    if (i === from || (text.charCodeAt(i) !== 0x2e && text.charCodeAt(i) !== 0x29)) return 0;
    i++;
  }
  const marker = i;
  // elinks puts a no-break space after its markers.
  while (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0xa0) i++;
  // A marker is followed by white space and then something: `*可导*` and `-1` are no list items.
  return i > marker && i < text.length ? i - from : 0;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
