/**
 * SPEC §8, "nothing lost silently", as a check that needs no knowledge of the input's shape: given a
 * text dump's decoded text and what the parser made of it, every non-blank line must end in exactly
 * one place — a post's span (its title line, its header line, then its excerpt lines up to the next
 * title, past any skipped range in between) or one reported SKIPPED_NOISE range — and each post
 * must hold exactly the lines of its span that no skipped range holds. Broken and title-less
 * headers are warnings about lines inside such a place.
 *
 * A dump in a renderer's layout (the parser reports it: TEXT_LAYOUT) has decoration the parser strips
 * (link numbers, indentation, Markdown marks, wrapped lines joined), so there a post's lines hold its
 * record rather than equal it: `unaccountedRendering`.
 */
import type { ParseResult, Post } from '../../src/index.js';
import { entityText } from '../../src/parse/markdown-inline.js';

// Blank as the parser sees it: white space only (JavaScript's `\s`, what `trim` removes).
const BLANK = /^\s*$/u;

/** Every way `result` fails to account for the lines of `text` (empty when every line is in exactly one place). */
export function unaccounted(text: string, result: ParseResult): string[] {
  if (result.diagnostics.some((d) => d.code === 'TEXT_LAYOUT')) return unaccountedRendering(text, result);
  const { posts, diagnostics } = result;
  const { lines, at, blank, quote, problems, owner, claim, skippedLine } = claims(text, result);

  posts.forEach((p, i) => {
    let title = p.line - 1;
    while (title >= 1 && blank(title)) title--;
    if (title < 1) problems.push(`post ${i} (header at line ${p.line}) has no line above its header`);
    else if (at(title).trim() !== p.title) problems.push(`post ${i}: title ${JSON.stringify(p.title)} is not its title line ${quote(title)}`);
    claim(title, `post ${i}'s title`);
    claim(p.line, `post ${i}'s header`);
  });

  // A post's excerpt runs from its header to the next title, past the lines a skipped range holds.
  posts.forEach((p, i) => {
    const body: string[] = [];
    for (let n = p.line + 1; n <= lines.length && (owner[n] === null || skippedLine(n)); n++) {
      if (blank(n) || skippedLine(n)) continue;
      body.push(at(n));
      owner[n] = `post ${i}'s excerpt`;
    }
    const tail = body.join('\n');
    if (p.excerpt === tail) return;
    // Else the excerpt also starts with the rest of the header line (after 引用 and white space).
    const rest = body.length === 0 ? p.excerpt : p.excerpt.endsWith(`\n${tail}`) ? p.excerpt.slice(0, -tail.length - 1) : null;
    if (rest === null || rest === '' || rest.includes('\n') || /^\s/u.test(rest) || !at(p.line).endsWith(rest)) {
      problems.push(`post ${i}: excerpt ${JSON.stringify(p.excerpt.slice(0, 80))} is not the lines of its span ${JSON.stringify(tail.slice(0, 80))}`);
    }
  });

  finish(lines.length, blank, quote, owner, problems, diagnostics);
  return problems;
}

/** How many lines above its header a post's title may start (MarkDownload puts its page title six lines up, a clipper's front matter more). */
const TITLE_REACH = 16;

/**
 * The check for a dump in a renderer's layout: every non-blank line in exactly one skipped range or
 * one post's lines (from the lines its title comes from, above its header, to the next post's),
 * and a post's title and excerpt made of its lines' characters, in order: decoration may be
 * dropped, nothing added (white space aside, which wrapping and indentation move around).
 */
export function unaccountedRendering(text: string, result: ParseResult): string[] {
  const { posts, diagnostics } = result;
  const { lines, at, blank, quote, problems, owner, claim, skippedLine } = claims(text, result);
  const order = posts.map((p, i) => [p, i] as const).sort(([a], [b]) => a.line - b.line);
  // Where each post's lines start: the fewest lines above its header that hold its title; the first
  // post's, from the start or the skipped range before it (a clipping's front matter is the post's).
  const starts = order.map(([p, i], k) => {
    const floor = k === 0 ? 1 : (order[k - 1] as readonly [Post, number])[0].line + 1;
    for (let from = p.line; from >= Math.max(floor, p.line - TITLE_REACH); from--) {
      if (skippedLine(from)) break;
      if (!holds(span(at, from, p.line), p.title)) continue;
      if (k === 0) while (from > 1 && !skippedLine(from - 1)) from--;
      return from;
    }
    problems.push(`post ${i}: title ${JSON.stringify(p.title)} is not in the lines above its header (line ${p.line})`);
    return p.line;
  });
  order.forEach(([p, i], k) => {
    const end = k + 1 < order.length ? (starts[k + 1] as number) - 1 : lines.length;
    if (end < p.line) problems.push(`post ${i}: its header (line ${p.line}) is in the next post's title lines`);
    for (let n = starts[k] as number; n <= end; n++) if (!blank(n) && !skippedLine(n)) claim(n, `post ${i}`);
    if (!holds(span(at, p.line, end + 1, skippedLine), p.excerpt)) {
      problems.push(`post ${i}: excerpt ${JSON.stringify(p.excerpt.slice(0, 80))} is not made of its lines ${p.line}-${end}`);
    }
  });
  finish(lines.length, blank, quote, owner, problems, diagnostics);
  return problems;
}

/** The text of lines `from` to `to` (exclusive), without the ones `skip` says. */
function span(at: (n: number) => string, from: number, to: number, skip: (n: number) => boolean = () => false): string {
  const parts: string[] = [];
  for (let n = from; n < to; n++) if (!skip(n)) parts.push(at(n));
  return parts.join('\n');
}

/** Whether `part` is made of the characters of `whole`, or of `whole` with its HTML entities (in Markdown) as the characters they name. */
function holds(whole: string, part: string): boolean {
  return (
    inOrder(whole, part) ||
    inOrder(
      whole.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/giu, (entity, name: string) => entityText(name) ?? entity),
      part,
    )
  );
}

/** Whether the characters of `part` (white space aside) occur in `whole` in the same order. */
function inOrder(whole: string, part: string): boolean {
  let i = 0;
  for (const ch of part) {
    if (/\s/u.test(ch)) continue;
    i = whole.indexOf(ch, i);
    if (i === -1) return false;
    i += ch.length;
  }
  return true;
}

/** The lines of `text`, and who holds each (the skipped ranges claimed already). */
function claims(text: string, { diagnostics }: ParseResult) {
  const lines = text.replace(/^\uFEFF/u, '').split(/\r\n|\r|\n/u);
  const at = (n: number): string => lines[n - 1] ?? '';
  const blank = (n: number): boolean => BLANK.test(at(n));
  const quote = (n: number): string => JSON.stringify(at(n).slice(0, 60));
  const problems: string[] = [];
  // Who holds each line (1-based), once a line is placed.
  const owner = new Array<string | null>(lines.length + 2).fill(null);
  const claim = (n: number, who: string): void => {
    if (n < 1 || n > lines.length) problems.push(`${who}: line ${n} is outside the input (${lines.length} lines)`);
    else if (owner[n] !== null) problems.push(`line ${n} ${quote(n)} is in ${owner[n]} and in ${who}`);
    else owner[n] = who;
  };
  const skipped = diagnostics.filter((d) => d.code === 'SKIPPED_NOISE');
  skipped.forEach((d, k) => {
    const who = `skipped range ${k} (${d.line}-${d.endLine})`;
    if (d.line === null || d.endLine === null || d.endLine < d.line) {
      problems.push(`${who}: not a line range`);
      return;
    }
    if (blank(d.line) || blank(d.endLine)) problems.push(`${who}: starts or ends on a blank line`);
    for (let n = d.line; n <= d.endLine; n++) if (!blank(n)) claim(n, who);
  });
  const skippedLine = (n: number): boolean => owner[n]?.startsWith('skipped range') === true;
  return { lines, at, blank, quote, problems, owner, claim, skippedLine };
}

/** Every non-blank line placed; warnings only about lines of an excerpt or of a skipped range. */
function finish(
  count: number,
  blank: (n: number) => boolean,
  quote: (n: number) => string,
  owner: (string | null)[],
  problems: string[],
  diagnostics: ParseResult['diagnostics'],
): void {
  for (let n = 1; n <= count; n++) {
    if (owner[n] === null && !blank(n)) problems.push(`line ${n} ${quote(n)} is in no post and in no skipped range`);
  }
  for (const d of diagnostics) {
    if (d.code !== 'BROKEN_HEADER' && d.code !== 'NO_TITLE') continue;
    const where = d.line === null ? null : owner[d.line];
    if (where == null || !/excerpt|skipped|^post \d+$/u.test(where))
      problems.push(`${d.code} at line ${d.line} is not about an excerpt or skipped line (${where})`);
  }
}
