import type { ReadKind } from '../kinds.js';
import { TextReader } from './text.js';

// YAML front matter, as web clippers (Obsidian Web Clipper, MarkDownload) start a note.
const FRONT_MATTER = /^(?:\uFEFF|\xEF\xBB\xBF)?---[ \t]*\r?\n/;

/** A Markdown clipping (`*.md`, or a note that opens with YAML front matter), read by the text parser. */
export const markdownKind: ReadKind<'markdown'> = {
  name: 'markdown',
  sniff: (head) => (FRONT_MATTER.test(head.text) ? 'sure' : /\.(?:md|markdown)$/.test(head.name) ? 'maybe' : 'no'),
  read: (context) => new TextReader(context),
};
