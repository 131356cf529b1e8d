import { Buffer } from 'node:buffer';

const COMMENT = /<!--[\s\S]*?-->/g;
const META = /<meta[ \t\n\f\r/]([^>]*)>/gi;
const ATTRIBUTE = /([^ \t\n\f\r=/>]+)(?:[ \t\n\f\r]*=[ \t\n\f\r]*(?:"([^"]*)"|'([^']*)'|([^ \t\n\f\r>]*)))?/g;
const CONTENT_CHARSET = /charset[ \t\n\f\r]*=[ \t\n\f\r]*(?:"([^"]*)"|'([^']*)'|([^ \t\n\f\r;"']+))/i;

/**
 * The encoding label an HTML page declares before its `<body>`: `<meta charset="gbk">`, or
 * `<meta http-equiv="Content-Type" content="text/html; charset=gbk">`; the first one counts, as in
 * the HTML standard's prescan. The bytes are in some ASCII-compatible encoding, read as Latin-1.
 */
export function declaredCharset(head: Uint8Array): string | null {
  let text = Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString('latin1').replace(COMMENT, '');
  const body = text.search(/<body[ \t\n\f\r>/]/i);
  if (body !== -1) text = text.slice(0, body);
  for (const [, attributes = ''] of text.matchAll(META)) {
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
