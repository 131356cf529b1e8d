import { Buffer } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';
import { diagnostic } from './diagnostics.js';
import { inputError } from './errors.js';
import { InputDecoder, type Encoding } from './input/decode.js';
import { startsHtmlDocument, typeOfSource, type InputType } from './input/detect.js';
import { readPage, type PageLine } from './input/html.js';
import { MAX_NODES, MAX_PAGE_BYTES, PageTreeBuilder } from './input/html-tree.js';
import { archiveId } from './input/links.js';
import { DumpEngine } from './parse/engine.js';
import { toRawPost, type RawPost } from './record.js';
import type { Diagnostic } from './types.js';

/** How inputs are read, the same for every input of a run. */
export interface ReadOptions {
  /** `auto` (the default) or an encoding name. */
  encoding?: Encoding;
  /** `auto` (the default: `.html`/`.htm` names are pages, else a document start in the first bytes), `text` or `html`. */
  inputType?: InputType;
  /** A longer line is an error (default 64 MiB). */
  maxLineBytes?: number;
  /** An HTML page is read whole: a larger one is an error (default 16 MiB). */
  maxPageBytes?: number;
  /** An HTML page with more nodes is an error (default 1,000,000). */
  maxPageNodes?: number;
}

/** How to read one input. */
export interface RecordOptions extends ReadOptions {
  /** Input name for records and diagnostics: a path, or `-` for stdin. */
  source: string;
  /** Called with each warning and note as it is found. */
  onDiagnostic?: (d: Diagnostic) => void;
}

const EMPTY = Buffer.alloc(0);

/**
 * One input's bytes to records: decode → parse, as a text dump (streamed) or as an HTML page (held
 * whole, read at the end). Feed it chunks; it hands back the posts each completes. A post's
 * `excerptUtf8` is valid until the next `push` or `end`, which reuse its memory: whoever keeps
 * posts longer copies them (`toPost`, or `excerptUtf8.slice()`).
 */
export class RecordReader {
  private readonly options: RecordOptions;
  private readonly report: (d: Diagnostic) => void;
  private readonly decoder: InputDecoder;
  /** `auto` until the first bytes show what the input is. */
  private type: InputType;
  private engine: DumpEngine | null = null;
  /** Decoded bytes, copied, while the type is unknown. */
  private held: Buffer[] = [];
  /** An HTML page's tree, built as its text comes. */
  private tree: PageTreeBuilder | null = null;
  private readonly pageText = new StringDecoder('utf8');
  private pageBytes = 0;
  private done: RawPost[] = [];

  constructor(options: RecordOptions) {
    this.options = options;
    this.report = options.onDiagnostic ?? (() => {});
    this.type = typeOfSource(options.source, options.inputType ?? 'auto');
    this.decoder = new InputDecoder(options.encoding ?? 'auto', options.source, this.type);
  }

  push(chunk: Uint8Array | string): RawPost[] {
    this.engine?.recycle();
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    for (const text of this.decoder.push(bytes)) this.route(text, false);
    return this.take();
  }

  end(): RawPost[] {
    this.engine?.recycle();
    for (const text of this.decoder.end()) this.route(text, false);
    if (this.type === 'auto') this.route(EMPTY, true);
    if (this.type === 'html') this.readPage();
    else this.textEngine().end();
    return this.take();
  }

  /** Decoded text goes to the text parser or into a page's tree; it is held while the input's type is unknown. */
  private route(text: Buffer, atEnd: boolean): void {
    if (this.type === 'text') return this.textEngine().write(text);
    if (this.type === 'html') return this.addToPage(text);
    const head = this.held.length === 0 ? text : Buffer.concat([...this.held, text]);
    const html = startsHtmlDocument(head, atEnd);
    if (html === null) {
      // Copied: the decoder may hand out the caller's chunk, which the caller reuses.
      if (text.length > 0) this.held.push(Buffer.from(text));
      return;
    }
    this.type = html ? 'html' : 'text';
    this.held = [];
    if (html) this.addToPage(head);
    else this.textEngine().write(head);
  }

  private addToPage(text: Buffer): void {
    if (text.length === 0) return;
    const limit = this.options.maxPageBytes ?? MAX_PAGE_BYTES;
    this.pageBytes += text.length;
    if (this.pageBytes > limit) throw inputError('PAGE_TOO_LARGE', this.options.source, sizeText(limit));
    this.tree ??= new PageTreeBuilder(this.options.source, this.options.maxPageNodes ?? MAX_NODES);
    this.tree.write(this.pageText.write(text));
  }

  private textEngine(onPage?: PageLine[]): DumpEngine {
    if (this.engine !== null) return this.engine;
    const { source, maxLineBytes } = this.options;
    this.engine = new DumpEngine(
      { source, ...(maxLineBytes === undefined ? {} : { maxLineBytes }) },
      onPage === undefined ? { post: (p) => this.done.push(p), diagnostic: this.report } : this.pageTextEvents(onPage),
    );
    return this.engine;
  }

  private readPage(): void {
    const { source } = this.options;
    const rest = this.pageText.end();
    if (rest !== '') this.tree?.write(rest);
    const tree = this.tree?.end();
    this.tree = null;
    if (tree === undefined || tree.blank) return this.report(diagnostic('EMPTY_INPUT', 'error', source, ''));
    const page = readPage(tree, source, this.report);
    if (page.layout === 'text') {
      this.report(
        diagnostic(
          'HTML_PAGE',
          'info',
          source,
          `a page without kexue.fm's layout (no div.Post, no #PostContent): its visible text, ${page.lines.length} lines, through the text parser`,
        ),
      );
      const engine = this.textEngine(page.lines);
      engine.write(Buffer.from(page.lines.map((l) => l.text).join('\n'), 'utf8'));
      engine.end();
      return;
    }
    const count = `${page.posts.length} post${page.posts.length === 1 ? '' : 's'}`;
    this.report(
      diagnostic('HTML_PAGE', 'info', source, `a kexue.fm ${page.layout} page (${page.layout === 'listing' ? 'div.Post' : '#PostContent'}): ${count}`),
    );
    if (page.posts.length === 0)
      this.report(diagnostic('NO_POSTS', 'error', source, `no ${page.layout === 'listing' ? 'div.Post' : 'article'} of this HTML page could be read`));
    this.done.push(...page.posts.map(toRawPost));
  }

  /**
   * The text parser's findings about a page's visible text, in the page's terms: line numbers of
   * the page's source, and a post's address from the link its title line is.
   */
  private pageTextEvents(lines: PageLine[]): { post(p: RawPost): void; diagnostic(d: Diagnostic): void } {
    const sourceLine = (line: number | null): number | null => (line === null ? null : (lines[line - 1]?.line ?? line));
    return {
      post: (p) => {
        // The title is the line above the header: the page's text has no blank lines.
        const url = lines[p.line - 2]?.href ?? null;
        this.done.push({ ...p, url, id: archiveId(url), line: sourceLine(p.line) ?? p.line });
      },
      diagnostic: (d) => {
        if (d.code === 'NO_POSTS' || d.code === 'EMPTY_INPUT') {
          const detail =
            'this HTML page has no div.Post or #PostContent, and its visible text has no title line followed by a "By <author> | <date> | <N>位读者" header';
          return this.report(diagnostic('NO_POSTS', 'error', d.source, detail));
        }
        this.report({ ...d, line: sourceLine(d.line), endLine: sourceLine(d.endLine) });
      },
    };
  }

  private take(): RawPost[] {
    const posts = this.done;
    this.done = [];
    return posts;
  }
}

function sizeText(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return Number.isInteger(mib) ? `${mib} MiB` : `${bytes} bytes`;
}

/**
 * Bytes parsed per batch. Small batches matter: the posts of a batch are alive at the next
 * scavenge, and many survivors make V8 grow its young generation (measured: 1 MiB batches, 32 MiB
 * of new space and 100 MiB RSS; 64 KiB batches, 8 MiB and 65 MiB, at the same speed).
 */
const BATCH_BYTES = 1 << 16;

/** A chunk in pieces of about `BATCH_BYTES`, each ending after a line feed where there is one (no character or line cut). */
function* batches(chunk: Uint8Array | string): Generator<Uint8Array | string> {
  if (typeof chunk === 'string' || chunk.length <= BATCH_BYTES) {
    yield chunk;
    return;
  }
  const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  let at = 0;
  while (at < bytes.length) {
    let end = at + BATCH_BYTES;
    if (end < bytes.length) {
      const lf = bytes.lastIndexOf(0x0a, end - 1);
      if (lf >= at) end = lf + 1;
    }
    yield bytes.subarray(at, end);
    at = end;
  }
}

/** The records of a stream of chunks, in batches as they complete. */
export async function* readRecords(chunks: AsyncIterable<Uint8Array | string>, options: RecordOptions): AsyncGenerator<RawPost[]> {
  const reader = new RecordReader(options);
  for await (const chunk of chunks) {
    for (const piece of batches(chunk)) {
      const posts = reader.push(piece);
      if (posts.length > 0) yield posts;
    }
  }
  const posts = reader.end();
  if (posts.length > 0) yield posts;
}
