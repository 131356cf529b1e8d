import { Buffer } from 'node:buffer';
import { TextDecoder } from 'node:util';
import { diagnostic } from '../../diagnostics.js';
import { inputError } from '../../errors.js';
import { DumpEngine } from '../../parse/engine.js';
import { toRawPost, type RawPost } from '../../record.js';
import type { Diagnostic, Post } from '../../types.js';
import { InputDecoder, SNIFF_BYTES } from '../decode.js';
import { readPage, type PageLine } from '../html.js';
import { MAX_NODES, MAX_PAGE_BYTES, PageTreeBuilder } from '../html-tree.js';
import type { KindReader, ReadContext, ReadKind } from '../kinds.js';
import { absoluteUrl, archiveId } from '../links.js';

/** A saved HTML page (SPEC §6): a document start in its first bytes, or else a `.html`/`.htm` name. */
export const pageKind: ReadKind<'html'> = {
  name: 'html',
  sniff(head) {
    const start = startsHtmlDocument(head.text, head.final);
    if (start === null) return 'wait';
    if (start) return 'sure';
    return /\.(?:html?|xhtml|shtml)$/.test(head.name) ? 'maybe' : 'no';
  },
  read: (context) => new PageReader(context),
};

// White space, comments and an XML declaration may come before it.
const LEAD = /^(?:[ \t\n\f\r]+|<!--[\s\S]*?-->|<\?[\s\S]*?\?>)*/;
const DOCUMENT_START = /^<(?:!doctype[ \t\n\f\r]+html|html|head|body)[ \t\n\f\r>/]/i;
// What a document start may still grow into while its bytes are cut off.
const OPENINGS = ['<!doctype html', '<html', '<head', '<body', '<!--', '<?'];

/**
 * Whether text (bytes of any ASCII-compatible encoding, one character each) starts an HTML
 * document: a doctype, or an `<html`, `<head` or `<body` tag, after white space, comments and an
 * XML declaration. A `<` alone proves nothing: dumps hold text such as `<eos>`. Null while the text
 * so far cannot tell (never once `final`, or past the first `SNIFF_BYTES`).
 */
export function startsHtmlDocument(text: string, final: boolean): boolean | null {
  const head = text.length > SNIFF_BYTES ? text.slice(0, SNIFF_BYTES) : text;
  const unmarked = head.replace(/^\uFEFF/, '');
  const rest = unmarked.slice((LEAD.exec(unmarked)?.[0] ?? '').length);
  if (DOCUMENT_START.test(rest)) return true;
  if (final || head.length >= SNIFF_BYTES) return false;
  const start = rest
    .slice(0, 16)
    .toLowerCase()
    .replace(/[ \t\n\f\r]+/g, ' ');
  return rest.startsWith('<!--') || rest.startsWith('<?') || OPENINGS.some((o) => o.startsWith(start)) ? null : false;
}

/**
 * A page's tree is built as its text comes (decoded), then read at its end: a kexue.fm listing or
 * article, or its visible text through the text parser.
 */
class PageReader implements KindReader {
  private readonly context: ReadContext;
  private readonly decoder: InputDecoder;
  private readonly tree: PageTreeBuilder;
  // The decoder's UTF-8 (valid, its BOM gone) as text; a U+FEFF it kept is kept. Measured faster than a StringDecoder.
  private readonly text = new TextDecoder('utf-8', { ignoreBOM: true });
  private bytes = 0;
  private done: RawPost[] = [];

  constructor(context: ReadContext) {
    this.context = context;
    this.decoder = new InputDecoder(context.encoding, context.source, true, context.charset);
    this.tree = new PageTreeBuilder(context.source, context.maxPageNodes ?? MAX_NODES);
  }

  push(chunk: Buffer): RawPost[] {
    for (const text of this.decoder.push(chunk)) this.addToTree(text);
    return [];
  }

  end(): RawPost[] {
    for (const text of this.decoder.end()) this.addToTree(text);
    const rest = this.text.decode();
    if (rest !== '') this.tree.write(rest);
    this.readPage();
    const posts = this.done;
    this.done = [];
    return posts;
  }

  private addToTree(text: Buffer): void {
    if (text.length === 0) return;
    const limit = this.context.maxPageBytes ?? MAX_PAGE_BYTES;
    this.bytes += text.length;
    if (this.bytes > limit) throw inputError('PAGE_TOO_LARGE', this.context.source, { limit, of: 'bytes' });
    this.tree.write(this.text.decode(text, { stream: true }));
  }

  private readPage(): void {
    const tree = this.tree.end();
    const { source, report } = this.context;
    if (tree.blank) return report(diagnostic('EMPTY_INPUT', 'error', source, {}));
    const page = readPage(tree, source, report, this.context.url);
    if (page.layout === 'text') {
      report(diagnostic('HTML_PAGE', 'info', source, { layout: 'text', lines: page.lines.length }));
      const engine = new DumpEngine(
        { source, ...(this.context.maxLineBytes === undefined ? {} : { maxLineBytes: this.context.maxLineBytes }) },
        this.pageTextEvents(page.lines),
      );
      engine.write(Buffer.from(page.lines.map((l) => l.text).join('\n'), 'utf8'));
      engine.end();
      return;
    }
    report(diagnostic('HTML_PAGE', 'info', source, { layout: page.layout, posts: page.posts.length }));
    if (page.posts.length === 0) report(diagnostic('NO_POSTS', 'error', source, { in: page.layout }));
    for (const post of page.posts) this.done.push(toRawPost(page.layout === 'article' ? this.withAddress(post) : post));
  }

  /** An article that names no address of its own has the one its container gives (a web archive's record). */
  private withAddress(post: Post): Post {
    const url = this.context.url === null ? null : absoluteUrl(this.context.url);
    return post.url !== null || url === null ? post : { ...post, url, id: archiveId(url) };
  }

  /**
   * The text parser's findings about a page's visible text, in the page's terms: line numbers of
   * the page's source, and a post's address from the link its title line is.
   */
  private pageTextEvents(lines: PageLine[]): { post(p: RawPost): void; diagnostic(d: Diagnostic): void } {
    const { report } = this.context;
    const sourceLine = (line: number | null): number | null => (line === null ? null : (lines[line - 1]?.line ?? line));
    return {
      post: (p) => {
        // The title is the line above the header: the page's text has no blank lines.
        const url = lines[p.line - 2]?.href ?? null;
        this.done.push({ ...p, url, id: archiveId(url), line: sourceLine(p.line) ?? p.line });
      },
      diagnostic: (d) => {
        if (d.code === 'NO_POSTS' || d.code === 'EMPTY_INPUT') {
          return report(diagnostic('NO_POSTS', 'error', d.source, { in: 'page-text' }));
        }
        report({ ...d, line: sourceLine(d.line), endLine: sourceLine(d.endLine) });
      },
    };
  }
}
