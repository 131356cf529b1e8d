/** Outputs read back by real parsers (csv-parse, commonmark), shared by the format tests and the parser properties. */
import { Parser, type Node } from 'commonmark';
import { parse as parseCsv } from 'csv-parse/sync';
import type { Post, PostField } from '../../src/index.js';

// The record's own keys, the default output (the enrichment fields are not among them).
export const FIELDS = ['title', 'author', 'date', 'readers', 'excerpt', 'url', 'id', 'source', 'line'] as const satisfies readonly PostField[];

/** `--fields` for every field, the enrichment ones included: what the archive fixtures' expected files hold. */
export const ALL_FIELDS = 'title,author,date,readers,excerpt,url,id,source,line,categories,tags';

/** A record as the expected files write it: enrichment only where the input has some. */
export function asExpected(post: Post): Post {
  const { categories, tags, ...rest } = post;
  return { ...rest, ...(categories !== undefined && categories.length > 0 ? { categories } : {}), ...(tags !== undefined && tags.length > 0 ? { tags } : {}) };
}

const FORMULA_START = /^[=+\-@\t\r\n＝＋－＠]/;

/** The CSV row csv-parse should give for a post: numbers as strings, null as empty, formula-like cells guarded under --excel. */
export function expectedRow(post: Post, excel: boolean): Record<string, string> {
  return Object.fromEntries(
    FIELDS.map((f) => {
      const v = post[f];
      if (v === null) return [f, ''];
      if (typeof v === 'number') return [f, String(v)];
      return [f, excel && FORMULA_START.test(v) ? `'${v}` : v];
    }),
  );
}

/** JSON Lines read back: one JSON value per line, each line ended by a newline (no output: no value). */
export function readJsonLines<T = Post>(text: string): T[] {
  if (text === '') return [];
  if (!text.endsWith('\n')) throw new Error(`JSON Lines output without its final newline: ${JSON.stringify(text.slice(-40))}`);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as T);
}

export function readCsv(text: string, excel: boolean): Record<string, string>[] {
  return parseCsv<Record<string, string>>(text, { columns: true, bom: excel });
}

export const markdownParser = new Parser();

/** The text a CommonMark node shows: its text, code and inline HTML, line breaks as `\n`. */
export function textOf(node: Node): string {
  let out = '';
  const walker = node.walker();
  for (let e = walker.next(); e !== null; e = walker.next()) {
    if (!e.entering) continue;
    const n = e.node;
    if (n.type === 'text' || n.type === 'code' || n.type === 'html_inline') out += n.literal ?? '';
    else if (n.type === 'softbreak' || n.type === 'linebreak') out += '\n';
  }
  return out;
}

export function allNodes(node: Node): Node[] {
  const out: Node[] = [];
  const walker = node.walker();
  for (let e = walker.next(); e !== null; e = walker.next()) if (e.entering) out.push(e.node);
  return out;
}
