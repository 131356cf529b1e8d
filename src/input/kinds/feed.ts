import type { Buffer } from 'node:buffer';
import { createRequire } from 'node:module';
import type { SaxesParser, SaxesTagPlain } from 'saxes';
import type * as Saxes from 'saxes';
import { diagnostic } from '../../diagnostics.js';
import { normalizeDate } from '../../parse/header.js';
import { toRawPost, type RawPost } from '../../record.js';
import { InputDecoder } from '../decode.js';
import { fragmentText } from '../html.js';
import { MAX_PAGE_BYTES } from '../html-tree.js';
import type { KindReader, ReadContext, ReadKind } from '../kinds.js';
import { absoluteUrl, archiveId } from '../links.js';
import { rootOf } from './xml.js';
import type { FeedFault, PostFault } from '../../types.js';

/** An RSS 2.0, RSS 1.0 or Atom feed (Typecho, the site's engine, serves all three): each item or entry a record. */
export const feedKind: ReadKind<'feed'> = {
  name: 'feed',
  sniff(head) {
    const root = rootOf(head);
    if (root === null) return head.final ? 'no' : 'wait';
    if (root === 'rss' || root === 'feed' || (root === 'rdf:rdf' && head.text.includes('http://purl.org/rss/1.0/'))) return 'sure';
    return /\.(?:rss|atom)$/.test(head.name) ? 'maybe' : 'no';
  },
  read: (context) => new FeedReader(context),
};

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
// RFC 822 (RSS's pubDate, as PHP's date('r') writes it) and RFC 3339 (Atom's published, dc:date).
const RFC822 = /^(?:[A-Za-z]{3},[ \t]*)?(\d{1,2})[ \t]+([A-Za-z]{3})[ \t]+(\d{4}|\d{2})[ \t]+\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]*(?:[+-]\d{4}|[A-Za-z]{1,5}))?$/;
const RFC3339 = /^(\d{4}-\d{2}-\d{2})(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:[Zz]|[+-]\d{2}:?\d{2})?)?$/;

/**
 * The calendar date of a feed's date as written, in the feed's own offset: `Fri, 22 Jan 2021
 * 00:16:08 +0800` is 2021-01-22 (in UTC it is the 21st), so never through `Date`. A two-digit year
 * is 20YY below 50 (RFC 2822 §4.3). Null when it is not a date, or not a real one.
 */
export function feedDate(text: string): string | null {
  const value = text.trim();
  const atom = RFC3339.exec(value);
  if (atom !== null) return normalizeDate(atom[1] as string);
  const rss = RFC822.exec(value);
  const month = rss === null ? -1 : MONTHS.indexOf((rss[2] as string).toLowerCase());
  if (rss === null || month === -1) return null;
  const year = (rss[3] as string).length === 4 ? Number(rss[3]) : 2000 + Number(rss[3]) - (Number(rss[3]) < 50 ? 0 : 100);
  return normalizeDate(`${year}-${String(month + 1).padStart(2, '0')}-${(rss[1] as string).padStart(2, '0')}`);
}

/** What an item or entry says, as its elements are read. */
interface Item {
  line: number;
  title: string;
  titleHtml: boolean;
  link: string | null;
  guid: string | null;
  /** The date as written, and how much its element is preferred. */
  date: { rank: number; text: string } | null;
  author: string | null;
  categories: string[];
  /** Its HTML by preference: `content:encoded` or Atom's `content`, then `description`, then `summary`. */
  content: { rank: number; html: string } | null;
  base: string | null;
}

/** How much a body element is preferred (lower is better), and whether its text is HTML. */
const BODIES: Record<string, number> = { 'content:encoded': 0, content: 0, description: 1, summary: 2 };
// The elements of an item whose text is a field; a dc:date or updated only when nothing better is there.
const DATES: Record<string, number> = { pubDate: 0, published: 0, 'dc:date': 1, updated: 2 };

/**
 * A feed read as it streams, by saxes (a strict XML parser: the line of a fault, the items before
 * it kept): each `<item>`/`<entry>` becomes a record when it closes. Entities declared in a DOCTYPE
 * are refused, never expanded (the billion laughs).
 */
class FeedReader implements KindReader {
  private readonly context: ReadContext;
  private decoder: InputDecoder | null = null;
  private readonly parser: SaxesParser;
  private readonly done: RawPost[] = [];
  /** The open elements, innermost last. */
  private readonly open: string[] = [];
  private item: Item | null = null;
  /** The element whose text is being collected, and the text so far. */
  private field: { name: string; depth: number; text: string[]; bytes: number; markup: boolean } | null = null;
  private feedAuthor: string | null = null;
  private feedLink: string | null = null;
  private failed = false;
  private items = 0;

  constructor(context: ReadContext) {
    this.context = context;
    const { SaxesParser: Parser } = saxes();
    this.parser = new Parser({ xmlns: false, position: true });
    this.parser.on('opentagstart', (tag) => this.start(tag.name));
    this.parser.on('opentag', (tag) => this.opened(tag as SaxesTagPlain));
    this.parser.on('closetag', (tag) => this.closed(tag.name));
    this.parser.on('text', (text) => this.text(text, false));
    this.parser.on('cdata', (text) => this.text(text, true));
    this.parser.on('doctype', (doctype) => {
      if (doctype.includes('<!ENTITY')) this.fail({ fault: 'entities' });
    });
    // saxes's message starts with the fault's line and column: the line is the diagnostic's own.
    this.parser.on('error', (e) => {
      this.fail({ fault: 'not-well-formed', column: this.parser.column, libraryMessage: e.message.slice(e.message.indexOf(': ') + 2) });
    });
  }

  push(chunk: Buffer): RawPost[] {
    this.decoder ??= new InputDecoder(this.context.encoding, this.context.source, false, this.context.charset ?? declaredEncoding(chunk));
    for (const text of this.decoder.push(chunk)) this.write(text);
    return this.done.splice(0);
  }

  end(): RawPost[] {
    for (const text of this.decoder?.end() ?? []) this.write(text);
    if (!this.failed) {
      try {
        this.parser.close();
      } catch {
        // Reported by the error handler.
      }
    }
    if (this.items === 0 && !this.failed) this.context.report(diagnostic('NO_POSTS', 'error', this.context.source, { in: 'feed' }));
    return this.done.splice(0);
  }

  private write(text: Buffer): void {
    if (this.failed || text.length === 0) return;
    this.parser.write(text.toString('utf8'));
  }

  private fail(fault: FeedFault): void {
    if (this.failed) return;
    this.failed = true;
    const open = this.item === null ? null : this.open.includes('entry') ? 'entry' : 'item';
    this.context.report(diagnostic('CORRUPT_INPUT', 'error', this.context.source, { what: 'feed', open, ...fault }, this.parser.line));
  }

  private start(name: string): void {
    if (this.failed) return;
    if ((name === 'item' || name === 'entry') && this.item === null) {
      this.item = {
        line: this.parser.line,
        title: '',
        titleHtml: false,
        link: null,
        guid: null,
        date: null,
        author: null,
        categories: [],
        content: null,
        base: null,
      };
    }
  }

  private opened(tag: SaxesTagPlain): void {
    if (this.failed) return;
    const { name, attributes } = tag;
    const field = this.field;
    if (field?.markup === true)
      field.text.push(
        `<${name}${Object.entries(attributes)
          .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
          .join('')}>`,
      );
    this.open.push(name);
    if (field !== null) return;
    const item = this.item;
    const parent = this.open[this.open.length - 2];
    if (item === null) {
      // Outside the items: the feed's own link and author, for items without one.
      if (name === 'link' && attributes.href !== undefined && (attributes.rel ?? 'alternate') === 'alternate') this.feedLink ??= attributes.href;
      if ((name === 'name' && parent === 'author') || name === 'managingEditor' || name === 'dc:creator' || name === 'link') this.collect(name, false);
      return;
    }
    if (name === 'entry' || name === 'item') {
      item.base = attributes['xml:base'] ?? null;
      return;
    }
    if (name === 'link') {
      // Atom's link is an attribute; the alternate one is the post's page.
      if (attributes.href !== undefined) {
        if ((attributes.rel ?? 'alternate') === 'alternate') item.link ??= attributes.href;
        return;
      }
      return this.collect(name, false);
    }
    if (name === 'category') {
      if (attributes.term !== undefined) item.categories.push(attributes.term.trim());
      else this.collect(name, false);
      return;
    }
    if (name in BODIES) {
      item.base ??= attributes['xml:base'] ?? null;
      return this.collect(name, attributes.type === 'xhtml');
    }
    if (name === 'title') {
      item.titleHtml = attributes.type === 'html' || attributes.type === 'xhtml';
      return this.collect(name, attributes.type === 'xhtml');
    }
    // RSS's author is text (`address (Name)`), Atom's an element with a name in it.
    const rssAuthor = name === 'author' && this.open[0] !== 'feed';
    if (name in DATES || name === 'guid' || name === 'dc:creator' || rssAuthor || (name === 'name' && parent === 'author')) this.collect(name, false);
  }

  private collect(name: string, markup: boolean): void {
    this.field = { name, depth: this.open.length, text: [], bytes: 0, markup };
  }

  private text(text: string, cdata: boolean): void {
    const field = this.field;
    if (this.failed || field === null) return;
    field.bytes += text.length;
    // An item's HTML becomes a tree as a page's does: it is held to a page's size.
    const limit = this.context.maxPageBytes ?? MAX_PAGE_BYTES;
    if (field.bytes > limit) {
      this.fail({ fault: 'element-too-long', limit });
      return;
    }
    field.text.push(field.markup && !cdata ? escapeXml(text) : text);
  }

  private closed(name: string): void {
    if (this.failed) return;
    const field = this.field;
    if (field !== null && field.depth === this.open.length) {
      this.field = null;
      this.fieldDone(field.name, field.text.join(''));
    } else if (field?.markup === true) {
      field.text.push(`</${name}>`);
    }
    this.open.pop();
    if ((name === 'item' || name === 'entry') && this.item !== null && !this.open.includes(name)) {
      this.items++;
      const post = this.post(this.item);
      this.item = null;
      if (post !== null) this.done.push(toRawPost(post));
    }
  }

  private fieldDone(name: string, text: string): void {
    const item = this.item;
    const value = text.trim();
    if (item === null) {
      if (name === 'link') this.feedLink ??= value;
      else this.feedAuthor ??= authorName(value);
      return;
    }
    if (name === 'title') item.title = value;
    else if (name === 'link') item.link ??= value;
    else if (name === 'guid') item.guid = value;
    else if (name === 'category') item.categories.push(value);
    else if (name === 'dc:creator' || name === 'author' || name === 'name') item.author ??= authorName(value);
    else if (name in BODIES) {
      const rank = BODIES[name] as number;
      if (item.content === null || rank < item.content.rank) item.content = { rank, html: text };
    } else if (name in DATES) {
      const rank = DATES[name] as number;
      if (item.date === null || rank < item.date.rank) item.date = { rank, text: value };
    }
  }

  private post(item: Item) {
    const { source, report } = this.context;
    const { maxPageNodes: maxNodes } = this.context;
    const title = item.titleHtml ? fragmentText(item.title, source, { inline: true, maxNodes }) : item.title.replace(/[ \t\n\f\r]+/g, ' ');
    const skip = (fault: PostFault): null => {
      report(diagnostic('SKIPPED_POST', 'warning', source, { of: 'item', title, ...fault }, item.line));
      return null;
    };
    if (title === '') return skip({ fault: 'no-title' });
    if (item.date === null) return skip({ fault: 'no-date' });
    const date = feedDate(item.date.text);
    if (date === null) return skip({ fault: 'date', date: item.date.text });
    const author = item.author ?? this.feedAuthor;
    if (author === null || author === '') return skip({ fault: 'no-author' });
    const base = item.base ?? this.feedLink;
    // A guid is the post's address unless it says otherwise (isPermaLink="false" is seldom a web address).
    const link = item.link ?? (item.guid?.startsWith('http') === true ? item.guid : null);
    const url = link === null ? null : absoluteUrl(link, base);
    return {
      title,
      author,
      date,
      readers: null,
      excerpt: item.content === null ? '' : fragmentText(item.content.html, source, { maxNodes }),
      url,
      id: archiveId(url),
      source,
      line: item.line,
      categories: [...new Set(item.categories.filter((c) => c !== ''))],
    };
  }
}

/** An author as feeds write it: a name, or RSS's `address (Name)`. */
function authorName(value: string): string {
  const open = value.indexOf('(');
  return value.includes('@') && open !== -1 && value.endsWith(')') ? value.slice(open + 1, -1).trim() : value;
}

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('"', '&quot;');
}

/** The encoding an XML declaration names (`<?xml version="1.0" encoding="GB2312"?>`), or null. */
function declaredEncoding(bytes: Buffer): string | null {
  const head = bytes.toString('latin1', 0, Math.min(bytes.length, 256));
  return /^(?:\xEF\xBB\xBF)?<\?xml[ \t\r\n][^>]{0,200}?encoding[ \t\r\n]*=[ \t\r\n]*["']([A-Za-z0-9._-]{1,40})["']/.exec(head)?.[1] ?? null;
}

let loaded: typeof Saxes | undefined;

/** saxes, loaded with the first feed (and synchronously, as the kinds read). */
function saxes(): typeof Saxes {
  loaded ??= createRequire(import.meta.url)('saxes') as typeof Saxes;
  return loaded;
}
