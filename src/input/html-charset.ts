import { Buffer } from 'node:buffer';

const META_OPEN = /<meta[ \t\n\f\r/]/gi;
const ATTRIBUTE = /([^ \t\n\f\r=/>]+)(?:[ \t\n\f\r]*=[ \t\n\f\r]*(?:"([^"]*)"|'([^']*)'|([^ \t\n\f\r>]*)))?/g;
const CONTENT_CHARSET = /charset[ \t\n\f\r]*=[ \t\n\f\r]*(?:"([^"]*)"|'([^']*)'|([^ \t\n\f\r;"']+))/i;

/**
 * The encoding label an HTML page declares before its `<body>`: `<meta charset="gbk">`, or
 * `<meta http-equiv="Content-Type" content="text/html; charset=gbk">`; the first one counts, as in
 * the HTML standard's prescan. The bytes are in some ASCII-compatible encoding, read as Latin-1.
 */
export function declaredCharset(head: Uint8Array): string | null {
  let text = withoutComments(Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString('latin1'));
  const body = text.search(/<body[ \t\n\f\r>/]/i);
  if (body !== -1) text = text.slice(0, body);
  for (const attributes of metaAttributes(text)) {
    const attrs = new Map<string, string>();
    for (const [, name = '', ...values] of attributes.matchAll(ATTRIBUTE)) {
      const key = name.toLowerCase();
      if (!attrs.has(key)) attrs.set(key, values.find((v) => v !== undefined) ?? '');
    }
    const charset = attrs.get('charset');
    if (charset !== undefined && charset.trim() !== '') return charset.trim();
    if (attrs.get('http-equiv')?.trim().toLowerCase() !== 'content-type') continue;
    const m = CONTENT_CHARSET.exec(attrs.get('content') ?? '');
    const label = m
      ?.slice(1)
      .find((v) => v !== undefined)
      ?.trim();
    if (label) return label;
  }
  return null;
}

// Scans with indexOf where a lazy pattern (`<!--[\s\S]*?-->`, `<meta ...[^>]*>`) searched to the end
// of the text again from every opener without a closer: quadratic in a head of 16,000 `<!--`.

/** `text` without its `<!-- ... -->` comments; an unclosed one stays, with all that follows it. */
function withoutComments(text: string): string {
  let out = '';
  let from = 0;
  for (let open = text.indexOf('<!--'); open !== -1; open = text.indexOf('<!--', from)) {
    const close = text.indexOf('-->', open + 4);
    if (close === -1) break;
    out += text.slice(from, open);
    from = close + 3;
  }
  return out + text.slice(from);
}

/** The attribute text of each `<meta ...>` tag, in order; an unclosed last one is not a tag. */
function* metaAttributes(text: string): Generator<string> {
  META_OPEN.lastIndex = 0;
  while (META_OPEN.test(text)) {
    const close = text.indexOf('>', META_OPEN.lastIndex);
    if (close === -1) return;
    yield text.slice(META_OPEN.lastIndex, close);
    META_OPEN.lastIndex = close + 1;
  }
}
