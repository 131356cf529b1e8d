import { Document, Scalar } from 'yaml';
import type { Post } from '../types.js';
import { escapeText } from './markdown.js';
import { escapeSequence } from './printable.js';

// Characters that YAML readers refuse written raw (not printable in YAML 1.1 nor 1.2: PyYAML stops at
// them) or read as a line break, folded into a space (U+0085; U+2028 and U+2029 in YAML 1.1), and the
// BOM. Every string of the front matter is double-quoted, where an escape stands for each.
const YAML_UNSAFE = /[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g;

/**
 * One post as a Markdown note (Obsidian, Hugo, Jekyll): YAML front matter, then the excerpt as the
 * body, escaped as `-f md` escapes it (LaTeX untouched). The YAML is written by a real YAML library;
 * every string is double-quoted, so no title reads as another type in YAML 1.1 or 1.2 (`on`, `null`,
 * `1e3`), and the date is a plain scalar, which front-matter readers take for a date.
 */
export function noteText(post: Post): string {
  const date = new Scalar(post.date);
  date.type = Scalar.PLAIN;
  const front = new Document({
    title: post.title,
    author: post.author,
    date,
    readers: post.readers,
    url: post.url,
    id: post.id,
    series: post.series ?? null,
    part: post.part ?? null,
    tags: post.tags ?? [],
  });
  const yaml = front.toString({ lineWidth: 0, defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' }).replace(YAML_UNSAFE, escapeSequence);
  const body = escapeText(post.excerpt, true);
  return `---\n${yaml}---\n${body === '' ? '' : `\n${body}\n`}`;
}
