import { afterLead, MARKUP_COMMENTS } from '../lead.js';
import type { Head, SkipKind } from '../kinds.js';
import type { XmlRoot } from '../../types.js';

const ROOT = /^<([A-Za-z_][\w.:-]*)/;
// A doctype, with an internal subset `[...]` that may hold `>`. The run before the subset is taken
// whole by a lookahead (a group that cannot be backtracked into): as `[^>[]*` it was quadratic
// against the `[^>]*` after it on a doctype that never closes.
const DOCTYPE = /^<!DOCTYPE(?=([^>[]*))\1(?:\[[^\]]*\])?[^>]*>/i;

/** Root elements of documents that are surely no page, whether or not an XML declaration comes first. */
const KNOWN_ROOTS: ReadonlySet<string> = new Set(['urlset', 'sitemapindex', 'rdf:rdf', 'svg', 'opml', 'rsd'] satisfies XmlRoot[]);

/**
 * An XML document that is not a page: sitemaps, SVG images, ... (an XHTML page, `<html` after
 * the declaration, is a page: that kind comes first; so is a feed, read by the feed kind).
 */
export const xmlKind: SkipKind<'xml'> = {
  name: 'xml',
  sniff(head) {
    const root = rootOf(head);
    if (root === null) return head.final ? 'no' : 'wait';
    if (root !== undefined && root !== 'html' && (KNOWN_ROOTS.has(root) || declared(head))) return 'sure';
    return /\.(?:xml|rss|atom|svg|xsl)$/.test(head.name) ? 'maybe' : 'no';
  },
  skip(head) {
    const root = rootOf(head);
    return { code: 'NOT_A_PAGE', args: { kind: 'xml', root: typeof root === 'string' && KNOWN_ROOTS.has(root) ? (root as XmlRoot) : null } };
  },
};

/** The root element's name, lower-case; undefined when the text does not start with an element; null while a comment is open. */
export function rootOf(head: Head): string | undefined | null {
  let rest = afterLead(head.text, MARKUP_COMMENTS);
  if (rest === null) return null;
  const doctype = DOCTYPE.exec(rest);
  if (doctype !== null) rest = afterLead(rest.slice(doctype[0].length), MARKUP_COMMENTS);
  if (rest === null) return null;
  return ROOT.exec(rest)?.[1]?.toLowerCase();
}

function declared(head: Head): boolean {
  return /^<\?xml[ \t\n\r]/.test(afterLead(head.text, []) ?? '');
}
