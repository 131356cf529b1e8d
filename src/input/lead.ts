const SPACE = new Set([' ', '\t', '\n', '\f', '\r']);

/** Comment delimiters of the formats sniffed. */
export const MARKUP_COMMENTS: readonly Comment[] = [
  ['<!--', '-->'],
  ['<?', '?>'],
];
export const CODE_COMMENTS: readonly Comment[] = [
  ['/*', '*/'],
  ['//', '\n'],
];
type Comment = readonly [open: string, close: string];

/**
 * The text after a byte order mark, white space and leading comments, found by plain scans (a regex
 * with a repeated group of alternatives can take exponential time on text that fails it); null
 * while a comment is still open at the end of the text.
 */
export function afterLead(text: string, comments: readonly Comment[]): string | null {
  let at = text.startsWith('\uFEFF') ? 1 : text.startsWith('\xEF\xBB\xBF') ? 3 : 0;
  for (;;) {
    while (at < text.length && SPACE.has(text[at] as string)) at++;
    const comment = comments.find(([open]) => text.startsWith(open, at));
    if (comment === undefined) return text.slice(at);
    const end = text.indexOf(comment[1], at + comment[0].length);
    if (end === -1) return null;
    at = end + comment[1].length;
  }
}
