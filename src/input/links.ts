/** Where relative links of a saved page point: the blog's main address. */
const SITE = 'https://kexue.fm';

// The blog's mirrors: a link to any of them is a link to the one site.
const MIRRORS = new Set(['kexue.fm', 'www.kexue.fm', 'spaces.ac.cn', 'www.spaces.ac.cn']);
const ARCHIVE = /^\/archives\/(\d+)(?:\/|$)/;

/**
 * A link of a saved page as an absolute address: relative ones against the page's own address
 * (`base`: a web archive's record, a snapshot's) or else https://kexue.fm, mirror hosts as
 * https://kexue.fm, and a post's link as its plain `https://kexue.fm/archives/NNNN` (without the
 * `#more`, `?replytocom=` or page parts that listing links carry). Null for what is not a web
 * address (`javascript:`, a broken URL).
 */
export function absoluteUrl(href: string, base: string | null = null): string | null {
  let url: URL;
  try {
    url = new URL(href.trim(), baseUrl(base));
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (!MIRRORS.has(url.hostname)) return url.href;
  const archive = ARCHIVE.exec(url.pathname);
  if (archive !== null) return `${SITE}/archives/${archive[1]}`;
  return `${SITE}${url.pathname}${url.search}${url.hash}`;
}

/** The archive number of a post's address (`/archives/NNNN`, whatever the host), or null. */
export function archiveId(url: string | null): number | null {
  if (url === null) return null;
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return null;
  }
  const archive = ARCHIVE.exec(path);
  const id = archive === null ? NaN : Number(archive[1]);
  return Number.isSafeInteger(id) ? id : null;
}

/** A page's own address as a base for its links, when it is a web address; else the blog's. */
function baseUrl(base: string | null): string {
  if (base === null) return SITE;
  try {
    const url = new URL(base);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : SITE;
  } catch {
    return SITE;
  }
}
