import type { Buffer } from 'node:buffer';

/**
 * The fixed matter the site puts around an article's body (SPEC §10): the reading-time tip before
 * it, and after it the repost notice, the cite block with its BibTeX, the donation box, related
 * posts, previous/next links, the comment form and the comments. In a text copy of an article the
 * body ends where this starts; the notice and the cite block state the post's address.
 */

/** How lines of the end-of-post matter start: the first one a renderer or a clipper kept opens it. */
export const OPENINGS = [
  '转载到请包括本文地址',
  '更详细的转载事宜请参考',
  '如果您还有什么疑惑或建议',
  '如果您觉得本文还不错',
  '如果您需要引用本文',
  '@online{kexuefm-',
  '« 上一篇',
  'When reposting, please include',
  'For more details on reposting',
  'If you need to cite this article',
];
/** Lines of it that are a phrase alone: the donation box. */
export const MATTER_LINES = ['打赏', '微信打赏', '支付宝打赏'];
/** Headings of its sections: the first line after one is an item of it, never a title. */
export const MATTER_HEADINGS = ['相关文章', 'You may also be interested', '发表评论', 'Leave a comment'];
/** How the reading-time tip between the meta line and the body starts (`本文阅读时间约 6 分钟`). */
export const READING_TIP = '本文阅读时间约';

const NEXT = new TextEncoder().encode('下一篇 »');
const COMMENTS_ZH = new TextEncoder().encode('条评论');
const COMMENTS_EN = new TextEncoder().encode('comment');

/** Whether the trimmed text `buf[start, end)` is the link to the next post (`生成扩散模型漫谈(一) 下一篇 »`). */
export function isNextLink(buf: Buffer, start: number, end: number): boolean {
  return endsWith(buf, start, end, NEXT);
}

/** `3 条评论`, `2 comments`, `1 comment`: the heading of an article's comments. */
export function isCommentCount(buf: Buffer, start: number, end: number): boolean {
  let i = start;
  while (i < end && (buf[i] as number) >= 0x30 && (buf[i] as number) <= 0x39) i++;
  if (i === start || i - start > 6) return false;
  if (buf[i] === 0x20) i++;
  if (end - i === COMMENTS_ZH.length) return at(buf, i, COMMENTS_ZH);
  const plural = end - i === COMMENTS_EN.length + 1 && buf[end - 1] === 0x73;
  return (end - i === COMMENTS_EN.length || plural) && at(buf, i, COMMENTS_EN);
}

function at(buf: Buffer, i: number, bytes: Uint8Array): boolean {
  for (let k = 0; k < bytes.length; k++) if (buf[i + k] !== bytes[k]) return false;
  return true;
}

function endsWith(buf: Buffer, start: number, end: number, bytes: Uint8Array): boolean {
  return end - start >= bytes.length && at(buf, end - bytes.length, bytes);
}

/** A post's address, as the end-of-post matter states it. */
export interface Address {
  url: string;
  id: number;
}

const BIBTEX_KEY = 'kexuefm-';
const ARCHIVES = '/archives/';
const SITE = 'https://kexue.fm/archives/';

/**
 * The post's address in a line of the end-of-post matter: a web address of `/archives/NNNN` (the
 * repost notice, `Retrieved from ...`, `url={\url{...}}`), or the BibTeX key `kexuefm-NNNN`.
 */
export function addressIn(text: string): Address | null {
  let floor = 0;
  for (let at = text.indexOf(ARCHIVES); at !== -1; floor = at, at = text.indexOf(ARCHIVES, at + 1)) {
    const id = digitsAt(text, at + ARCHIVES.length);
    if (id === null) continue;
    const begin = urlStart(text, at, floor);
    if (begin !== -1) return { url: text.slice(begin, at + ARCHIVES.length + id.length), id: Number(id) };
  }
  const key = text.indexOf(BIBTEX_KEY);
  const id = key === -1 ? null : digitsAt(text, key + BIBTEX_KEY.length);
  return id === null ? null : { url: `${SITE}${id}`, id: Number(id) };
}

/** The run of (at most 12) digits at `at`, or null. */
function digitsAt(text: string, at: number): string | null {
  let end = at;
  while (end < text.length && end - at < 12 && text.charCodeAt(end) >= 0x30 && text.charCodeAt(end) <= 0x39) end++;
  return end === at ? null : text.slice(at, end);
}

/**
 * Where the `http://` or `https://` address that `/archives/` at `at` is part of starts, or -1:
 * back over its host, which holds no white space, bracket or quote, but not below `floor` (the
 * previous `/archives/`, so that a line of them is read once).
 */
function urlStart(text: string, at: number, floor: number): number {
  for (let i = at - 1; i >= floor && !' \t<>()[]{}"\'*'.includes(text.charAt(i)); i--) {
    if (text.startsWith('https://', i) || text.startsWith('http://', i)) return i;
  }
  return -1;
}

/** The archive number of a post's address, absolute or relative (`/archives/NNNN`, then its end or `/`, `?`, `#`), or null. */
export function archiveId(url: string): number | null {
  for (let at = url.indexOf(ARCHIVES); at !== -1; at = url.indexOf(ARCHIVES, at + 1)) {
    const id = digitsAt(url, at + ARCHIVES.length);
    const after = at + ARCHIVES.length + (id?.length ?? 0);
    if (id !== null && (after === url.length || '/?#'.includes(url.charAt(after)))) return Number(id);
  }
  return null;
}
