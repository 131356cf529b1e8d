/**
 * The Markdown writer as it was before it worked on bytes (issue 17): strings, regular expressions
 * and the string scan of math, kept as the reference that the byte-level writer must equal (and
 * tested against the one regular expression it replaced). One change, marked below.
 */
import { fieldValue } from '../../src/record.js';
import type { Post, PostField } from '../../src/types.js';

/** What `formatMarkdown(posts, { fields, table })` wrote. */
export function referenceMarkdown(posts: readonly Post[], fields: readonly PostField[], table: boolean): string {
  if (!table) {
    const show = new Set(fields);
    return posts.map((post) => renderPost(post, show)).join('');
  }
  const head = `| ${fields.join(' | ')} |\n|${fields.map((f) => (f === 'readers' || f === 'id' || f === 'line' ? ' ---: |' : ' --- |')).join('')}\n`;
  return head + posts.map((post) => `| ${fields.map((f) => tableCell(post, f)).join(' | ')} |\n`).join('');
}

/** What `escapeText` gave. */
export function referenceEscape(text: string, paragraphs: boolean): string {
  return escapeText(text, paragraphs);
}

function renderPost(post: Post, show: ReadonlySet<PostField>): string {
  const blocks: string[] = [];
  if (show.has('title')) {
    // A trailing `#` run would read as the heading's optional closing sequence; one right after a
    // backslash is escaped already. Matched only from a run's start, or right after `\#` (linear).
    const title = escapeText(post.title, false).replace(/(?<=^|[^\\#]|\\#)#+$/, '\\$&');
    blocks.push(post.url !== null && show.has('url') ? `## [${title}](${linkTarget(post.url)})` : `## ${title}`);
  }
  const meta: string[] = [];
  if (show.has('author')) meta.push(post.author);
  if (show.has('date')) meta.push(post.date);
  if (show.has('readers') && post.readers !== null) meta.push(`${post.readers} readers`);
  if (meta.length > 0) blocks.push(escapeText(meta.join(' · '), true));
  if (show.has('excerpt') && post.excerpt !== '') blocks.push(escapeText(post.excerpt, true));
  return `${blocks.join('\n\n')}\n\n`;
}

function tableCell(post: Post, field: PostField): string {
  const value = field === 'excerpt' ? post.excerpt : fieldValue(post, field);
  if (value === null) return '';
  // The one change: a line break inside math is a <br> in every cell (a list's and a linked title's
  // kept it, which ended the table row).
  if (Array.isArray(value)) return escapeText(value.join(', '), false, true).replaceAll('\n', '<br>');
  if (field === 'title' && post.url !== null) return `[${escapeText(post.title, false, true).replaceAll('\n', '<br>')}](${linkTarget(post.url)})`;
  return escapeText(String(value), false, true).replaceAll('\n', '<br>');
}

// Math that renderers (MathJax, KaTeX, Obsidian, GitHub) typeset is kept byte for byte (see `mathSpans`).
// Inline `$...$` within a line, no white space inside either dollar.
const INLINE_MATH = /\$(?=\S)[^$\n]*?\S\$/y;
const BEGIN = /\\begin\{([A-Za-z*]+)\}/y;
const END = /\\end\{([A-Za-z*]+)\}/g;
const MATH_SIGN = /[$\\]/g;
// Inline markup anywhere: code, emphasis, links, HTML, entities, strikethrough, stray math signs. A
// backslash matters only before punctuation or at a line's end, so `\mathcal` outside math stays as is.
const INLINE = /\\(?=[!-/:-@[-`{-~]|$)|[`*_[\]<>&~$]/g;
// What starts a block at the beginning of a paragraph: headings, lists, quotes, breaks, setext underlines.
const BLOCK_START = /^(#|[-+=]|\d+(?=[.)]))/;

/**
 * Escapes text for Markdown outside math. With `paragraphs`, each `\n` becomes a paragraph break
 * (a newline inside math stays one, so display math is never split); without, the text is one line.
 */
function escapeText(text: string, paragraphs: boolean, inTable = false): string {
  let out = '';
  let lineStart = true;
  let last = 0;
  const emitText = (piece: string): void => {
    const lines = piece.split('\n');
    lines.forEach((line, i) => {
      if (i > 0) {
        out += paragraphs ? '\n\n' : ' ';
        lineStart = true;
      }
      let escaped = line.replace(INLINE, '\\$&');
      if (inTable) escaped = escaped.replaceAll('|', '\\|');
      if (lineStart) {
        // Leading blanks would make an indented code block; they carry no meaning in the excerpt.
        escaped = escaped.replace(/^[ \t]+/, '').replace(BLOCK_START, (m) => (/^\d/.test(m) ? `${m}\\` : `\\${m}`));
        if (escaped !== '') lineStart = false;
      }
      out += escaped;
    });
  };
  for (const [start, end] of mathSpans(text)) {
    emitText(text.slice(last, start));
    const math = text.slice(start, end);
    out += inTable ? math.replaceAll('|', '\\|') : math;
    lineStart = false;
    last = end;
  }
  emitText(text.slice(last));
  return out;
}

/**
 * Where math is in `text`, in order: `$$...$$` (not after `\`), `\begin{env}...\end{env}`, `\[...\]`,
 * `\(...\)` (each to its first closer), and inline `$...$`; a `\$` is an escaped dollar. This is what one regular expression of
 * lazy alternatives matched, leftmost first, but in linear time: the expression searched to the end
 * of the text from every opener that has no closer (`\(` × 320,000 took 24 s). Here an opener is
 * tried only when its closer occurs after it (the last closer of each kind is found first).
 */
export function* mathSpans(text: string): Generator<[number, number]> {
  const lastDisplay = text.lastIndexOf('$$');
  const lastBracket = text.lastIndexOf('\\]');
  const lastParen = text.lastIndexOf('\\)');
  const lastEnd = new Map<string, number>();
  for (const m of text.matchAll(END)) lastEnd.set(m[1] as string, m.index);
  /** The end of the first `closer` at or after `from`, when the last one is there. */
  const upTo = (closer: string, last: number, from: number): number | null => (last >= from ? text.indexOf(closer, from) + closer.length : null);
  const spanAt = (at: number): number | null => {
    if (text[at] === '$') {
      if (text[at - 1] === '\\') return null;
      if (text[at + 1] === '$') {
        const end = upTo('$$', lastDisplay, at + 3);
        if (end !== null) return end;
      }
      INLINE_MATH.lastIndex = at;
      return INLINE_MATH.test(text) ? INLINE_MATH.lastIndex : null;
    }
    const next = text[at + 1];
    if (next === '[') return upTo('\\]', lastBracket, at + 3);
    if (next === '(') return upTo('\\)', lastParen, at + 3);
    BEGIN.lastIndex = at;
    const begin = BEGIN.exec(text);
    if (begin === null) return null;
    const closer = `\\end{${begin[1]}}`;
    return upTo(closer, lastEnd.get(begin[1] as string) ?? -1, BEGIN.lastIndex);
  };
  MATH_SIGN.lastIndex = 0;
  for (let m = MATH_SIGN.exec(text); m !== null; m = MATH_SIGN.exec(text)) {
    const end = spanAt(m.index);
    if (end === null) continue;
    yield [m.index, end];
    MATH_SIGN.lastIndex = end;
  }
}

function linkTarget(url: string): string {
  return /[\s()<>]/.test(url) ? `<${url.replace(/[<>\s]/g, encodeURIComponent)}>` : url;
}
