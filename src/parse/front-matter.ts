import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import { archiveId } from './article-matter.js';
import { type Header, parseHeader } from './header.js';

/**
 * A web clipper's YAML front matter (Obsidian Web Clipper, MarkDownload): `title`, `source` or
 * `url`, `published`, `created`, `description`. A clipping of an article names the post there: its
 * address (`source`), its title (the page's, without the site's name) and, where the clipper took
 * the meta line out of the body (Defuddle does), its header as the `description`'s start.
 */
export interface FrontMatter {
  title: string | null;
  /** The page's address, when it is a post's (`/archives/NNNN`). */
  url: string | null;
  /** The description's header, when it starts with one (`By 苏剑林 | 2022-06-01 | 32768位读者 | …`). */
  header: Header | null;
  /** The index of the description's line in the front matter's lines. */
  headerAt: number;
}

// A front matter longer than this is no front matter (a document that opens with a rule).
export const MAX_FRONT_MATTER_LINES = 200;

/** The front matter's fields, from its lines (between the `---` lines); null when they are not YAML of keys. */
export function readFrontMatter(lines: readonly string[]): FrontMatter | null {
  let fields: unknown;
  try {
    fields = yaml().parse(lines.join('\n'));
  } catch {
    return null;
  }
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) return null;
  const record = fields as Record<string, unknown>;
  const text = (key: string): string | null => {
    const value = record[key];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
  };
  const address = text('source') ?? text('url');
  const description = text('description');
  const parsed = description === null ? null : parseHeader(description);
  return {
    title: text('title') === null ? null : pageTitle(text('title') as string),
    url: address !== null && archiveId(address) !== null ? address : null,
    header: parsed !== null && 'header' in parsed ? parsed.header : null,
    headerAt: lines.findIndex((l) => l.startsWith('description:')),
  };
}

const SUFFIXES = [' - 科学空间|Scientific Spaces', ' - Scientific Spaces'];

/** A page's title without the site's name after it, as the HTML reader takes an article's title. */
export function pageTitle(title: string): string {
  const trimmed = title.trim();
  for (const suffix of SUFFIXES) if (trimmed.endsWith(suffix)) return trimmed.slice(0, -suffix.length).trim();
  return trimmed;
}

let loaded: typeof Yaml | undefined;

/** The yaml package, loaded on the first front matter: a dump without one never pays for it. */
function yaml(): typeof Yaml {
  loaded ??= createRequire(import.meta.url)('yaml') as typeof Yaml;
  return loaded;
}
