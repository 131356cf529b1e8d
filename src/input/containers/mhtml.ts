import { Buffer } from 'node:buffer';
import { Readable, type Transform } from 'node:stream';
import type { MimeNode, SplitterChunk } from '@zone-eu/mailsplit';
import { diagnostic } from '../../diagnostics.js';
import { inputError } from '../../errors.js';
import type { Diagnostic } from '../../types.js';
import type { Container, Head, Member } from '../kinds.js';

/**
 * A browser's "save as single file" (MHTML: Chromium's `.mhtml`, older `.mht`): a MIME
 * `multipart/related` message whose first `text/html` part is the page, read as a saved page at the
 * address in `Snapshot-Content-Location`; its other parts (styles, images, frames) are not pages.
 * MIME is split by `@zone-eu/mailsplit` (nodemailer's streaming splitter): it gives the part as the
 * bytes it encodes (quoted-printable and base64 undone), so the page's own `<meta charset>` decodes
 * it; the parsers that decode parts to strings read a charset-less GB18030 part as UTF-8.
 */
export const mhtmlContainer: Container = {
  name: 'mhtml',
  what: 'an MHTML snapshot',
  membersAre: 'records',
  sniff: (head) => isMhtml(head),
  members: mhtmlMembers,
};

/** The page is held whole to be read, as a saved page is. */
const MAX_PAGE_BYTES = 64 * 1024 * 1024;

const FIELD_NAME = /^[a-z][a-z0-9-]{0,63}:/i;

/** A MIME header block at the start (a field on its first line) whose `Content-Type` is `multipart/related`. */
function isMhtml(head: Head): boolean {
  // Most inputs fail at their first bytes, which are not a field's name and its colon: the rest
  // (16 KiB made a string and split into lines) would cost every page twice.
  if (!FIELD_NAME.test(head.bytes.toString('latin1', 0, Math.min(head.bytes.length, 65)))) return false;
  const text = head.bytes.toString('latin1', 0, Math.min(head.bytes.length, 16 * 1024)).toLowerCase();
  const blank = text.search(/\n\r?\n/);
  const lines = (blank === -1 ? text : text.slice(0, blank)).split('\n');
  const name = (line: string): string => line.slice(0, Math.max(0, line.indexOf(':')));
  if (!/^[a-z][a-z0-9-]{0,63}$/.test(name(lines[0] ?? ''))) return false;
  const type = lines.findIndex((line) => name(line) === 'content-type');
  // The value may be folded onto the next lines.
  const value = lines
    .slice(type, type + 2)
    .join(' ')
    .slice('content-type:'.length)
    .trimStart();
  return type !== -1 && value.startsWith('multipart/related');
}

async function* mhtmlMembers(chunks: AsyncIterable<Uint8Array>, source: string, report: (d: Diagnostic) => void): AsyncGenerator<Member> {
  // Loaded only for a snapshot.
  const { Splitter } = await import('@zone-eu/mailsplit');
  const splitter = new Splitter({ maxHeadSize: 256 * 1024 });
  const input = Readable.from(
    (async function* () {
      // Copied: the producer reuses its chunks, and the splitter holds on to pieces of them.
      for await (const chunk of chunks) yield Buffer.from(chunk);
    })(),
  );
  input.on('error', (e) => splitter.destroy(e));
  input.pipe(splitter);
  let snapshot: string | null = null;
  let page: { node: MimeNode; chunks: Buffer[]; done: Promise<void> } | null = null;
  let open: Transform | null = null;
  const others = new Map<string | null, number>();
  try {
    for await (const data of splitter as AsyncIterable<SplitterChunk>) {
      if (!('type' in data) || data.type === 'node') {
        const node = data as MimeNode;
        if (node.root && node.headers) snapshot = node.headers.getFirst('snapshot-content-location') || null;
        open?.end();
        open = null;
        if (node.multipart) continue;
        if (page === null && node.contentType === 'text/html') {
          const decoder = node.getDecoder();
          const held: Buffer[] = [];
          let bytes = 0;
          decoder.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
            if (bytes > MAX_PAGE_BYTES) decoder.destroy(inputError('PAGE_TOO_LARGE', source, { limit: MAX_PAGE_BYTES, of: 'bytes' }));
            else held.push(chunk);
          });
          const done = new Promise<void>((resolve, reject) => {
            decoder.on('end', resolve);
            decoder.on('error', reject);
          });
          page = { node, chunks: held, done };
          open = decoder;
        } else {
          const type = node.contentType || null;
          others.set(type, (others.get(type) ?? 0) + 1);
        }
      } else if (data.type === 'body' && open !== null) {
        open.write(data.value);
      }
    }
  } catch (e) {
    if (e instanceof Error && 'diagnostic' in e) throw e;
    throw inputError('CORRUPT_INPUT', source, { what: 'mhtml', fault: 'not-whole', libraryMessage: e instanceof Error ? e.message : String(e) });
  } finally {
    open?.end();
    input.destroy();
  }
  const parts = [...others].map(([contentType, count]) => ({ contentType, count }));
  if (page === null) throw inputError('NO_POSTS', source, { in: 'mhtml', parts });
  await page.done;
  report(diagnostic('ARCHIVE_RECORDS', 'info', source, { of: 'mhtml', parts }));
  const location = (page.node.headers ? page.node.headers.getFirst('content-location') : '') || null;
  const bytes = Buffer.concat(page.chunks);
  yield {
    name: '',
    path: location ?? '',
    chunks: (async function* () {
      yield bytes;
    })(),
    url: snapshot ?? location,
    charset: page.node.charset || null,
    notFile: null,
    inputType: 'html',
  };
}
