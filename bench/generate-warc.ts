import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { mulberry32 } from './generate.js';

/**
 * A synthetic crawl of the site as crawlers store it: WARC/1.0, one gzip member per record (as wget,
 * Heritrix and Common Crawl write them), a warcinfo record, then for each capture a request record
 * and a response or revisit record. Captures are the fixture pages (listings, articles, the GB18030
 * listing), their archive numbers shifted per copy, some sent gzipped as servers do; PNG-like images
 * (incompressible bytes); and revisits of pages already captured (same payload, no body). The record
 * layout follows wget's (fixtures/archives/crawl.warc.gz); the same bytes for the same count.
 */

export interface WarcCounts {
  captures: number;
  records: number;
  pages: number;
  images: number;
  revisits: number;
  /** Posts the pages hold: what a reader must emit. */
  posts: number;
  bytes: number;
}

const CRLF = '\r\n';

function record(type: string, uri: string | null, date: string, id: number, block: Buffer, extra: Record<string, string> = {}): Buffer {
  const headers: Record<string, string> = {
    'WARC-Type': type,
    ...(uri === null ? {} : { 'WARC-Target-URI': uri }),
    'WARC-Date': date,
    'WARC-Record-ID': `<urn:uuid:00000000-0000-4000-8000-${id.toString(16).padStart(12, '0')}>`,
    ...extra,
    'Content-Length': String(block.length),
  };
  const head = `WARC/1.0${CRLF}${Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}${CRLF}`)
    .join('')}${CRLF}`;
  return gzipSync(Buffer.concat([Buffer.from(head, 'latin1'), block, Buffer.from(CRLF + CRLF)]));
}

const sha1 = (bytes: Buffer): string => `sha1:${createHash('sha1').update(bytes).digest('hex')}`;

/** Writes `captures` captures to `path`; resolves to what it wrote. */
export async function generateWarc(path: string, captures: number, root: string): Promise<WarcCounts> {
  const page = (name: string): string => readFileSync(join(root, 'fixtures/html', name), 'latin1');
  // Each template: its text (latin1, so GB18030 bytes pass unchanged), its Content-Type, its posts.
  const templates = [
    { text: page('listing.html'), type: 'text/html; charset=UTF-8', posts: 9, path: (n: number) => `/page/${n}/` },
    { text: page('article.html'), type: 'text/html; charset=UTF-8', posts: 1, path: (n: number) => `/archives/${9119 + n}` },
    { text: page('listing-gb18030.html'), type: 'text/html; charset=GB18030', posts: 9, path: (n: number) => `/category/Big-Data/${n}/` },
  ];
  const random = mulberry32(20221122);
  const out = createWriteStream(path);
  const counts: WarcCounts = { captures, records: 0, pages: 0, images: 0, revisits: 0, posts: 0, bytes: 0 };
  const seen: { uri: string; digest: string; type: string }[] = [];
  let id = 0;
  const write = async (bytes: Buffer): Promise<void> => {
    counts.records++;
    counts.bytes += bytes.length;
    if (!out.write(bytes)) await once(out, 'drain');
  };
  const date = (i: number): string => new Date(Date.UTC(2025, 10, 19) + i * 1000).toISOString().replace(/\.\d+Z$/, 'Z');

  await write(record('warcinfo', null, date(0), id++, Buffer.from(`software: postdump bench${CRLF}format: WARC File Format 1.0${CRLF}`)));
  for (let i = 0; i < captures; i++) {
    const roll = random();
    const kind = roll < 0.2 && seen.length > 0 ? 'revisit' : roll < 0.45 ? 'image' : 'page';
    const previous = kind === 'revisit' ? seen[Math.floor(random() * seen.length)] : undefined;
    const template = templates[Math.floor(random() * templates.length)] as (typeof templates)[number];
    const uri = previous?.uri ?? (kind === 'image' ? `https://kexue.fm/usr/uploads/2025/11/${1000000 + i}.png` : `https://kexue.fm${template.path(i)}`);
    const requestId = id++;
    const request = Buffer.from(`GET ${new URL(uri).pathname} HTTP/1.1${CRLF}Host: kexue.fm${CRLF}Accept-Encoding: gzip${CRLF}${CRLF}`, 'latin1');
    await write(record('request', uri, date(i), requestId, request, { 'Content-Type': 'application/http;msgtype=request' }));
    const concurrent = { 'WARC-Concurrent-To': `<urn:uuid:00000000-0000-4000-8000-${requestId.toString(16).padStart(12, '0')}>` };
    if (previous !== undefined) {
      const head = Buffer.from(`HTTP/1.1 200 OK${CRLF}Content-Type: ${previous.type}${CRLF}${CRLF}`, 'latin1');
      await write(
        record('revisit', uri, date(i), id++, head, {
          ...concurrent,
          'Content-Type': 'application/http;msgtype=response',
          'WARC-Profile': 'http://netpreserve.org/warc/1.0/revisit/identical-payload-digest',
          'WARC-Payload-Digest': previous.digest,
        }),
      );
      counts.revisits++;
      continue;
    }
    let payload: Buffer;
    let type: string;
    let encoding = '';
    if (kind === 'image') {
      const size = 8192 + Math.floor(random() * 32768);
      payload = Buffer.alloc(size);
      for (let b = 0; b < size; b++) payload[b] = Math.floor(random() * 256);
      Buffer.from('89504e470d0a1a0a', 'hex').copy(payload);
      type = 'image/png';
      counts.images++;
    } else {
      const shifted = template.text.replace(/archives\/(\d+)/g, (_, n: string) => `archives/${Number(n) + i}`);
      payload = Buffer.from(shifted, 'latin1');
      type = template.type;
      // A third of the pages came gzipped, as servers send them to a crawler that asks for it.
      if (random() < 0.33) {
        payload = gzipSync(payload);
        encoding = `Content-Encoding: gzip${CRLF}`;
      }
      counts.pages++;
      counts.posts += template.posts;
      seen.push({ uri, digest: sha1(payload), type });
    }
    const head = Buffer.from(`HTTP/1.1 200 OK${CRLF}Content-Type: ${type}${CRLF}${encoding}Content-Length: ${payload.length}${CRLF}${CRLF}`, 'latin1');
    await write(
      record('response', uri, date(i), id++, Buffer.concat([head, payload]), {
        ...concurrent,
        'Content-Type': 'application/http;msgtype=response',
        'WARC-Payload-Digest': sha1(payload),
      }),
    );
  }
  out.end();
  await once(out, 'finish');
  return counts;
}
