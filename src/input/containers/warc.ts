import { Buffer } from 'node:buffer';
import { constants, gunzipSync } from 'node:zlib';
import { diagnostic } from '../../diagnostics.js';
import { inputError } from '../../errors.js';
import type { CorruptData, Diagnostic, RecordSkip, SkipReason, WarcFault } from '../../types.js';
import { ByteReader, withFirst } from '../byte-reader.js';
import type { Container, Member } from '../kinds.js';
import { type GzipFault, gzipMembers } from './gzip-members.js';
import { contentCodings, headerFields, mediaType, payload, unknownCoding } from './http-message.js';

/**
 * A web archive (WARC 1.0 and 1.1: wget, Browsertrix, Heritrix, Common Crawl), plain or gzip per
 * record, read by a reader of postdump's own over Node's zlib (see the README: warcio, the reference
 * library, stays the tests' reader of record). Each `response` record of an HTML page with status 200
 * is a member, named `#OFFSET` (the record's offset in the file, as CDX indexes name it), its address
 * the record's `WARC-Target-URI` and its charset the HTTP `Content-Type`'s; every other record is
 * skipped with its reason, and a damaged record is an error after which the reader goes on at the
 * next record it can find.
 */
export const warcContainer: Container = {
  name: 'warc',
  what: 'a web archive (WARC)',
  membersAre: 'records',
  sniff: ({ bytes }) => startsWarc(bytes) || (bytes[0] === 0x1f && bytes[1] === 0x8b && startsWarc(inflatedHead(bytes))),
  members: warcMembers,
};

/** A header block is held whole to be read: a longer one is not a WARC record (real ones are a few hundred bytes). */
const MAX_HEADER_BYTES = 1 << 20;
const WARC_SLASH = Buffer.from('WARC/');
const RECORD_END = Buffer.from('\r\n\r\n');
const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml']);

function startsWarc(bytes: Buffer): boolean {
  const digit = bytes[5] ?? 0;
  return bytes.subarray(0, 5).equals(WARC_SLASH) && digit >= 0x30 && digit <= 0x39;
}

/** The first bytes a gzip file inflates to (its first member's, where a WARC starts); nothing when they are not gzip. */
function inflatedHead(bytes: Buffer): Buffer {
  try {
    return gunzipSync(bytes.subarray(0, 4096), { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: 1 << 20 });
  } catch {
    return Buffer.alloc(0);
  }
}

/** What a record gave, counted by reason for the archive's summary line. */
class Tally {
  records = 0;
  read = 0;
  damaged = 0;
  private readonly skipped = new Map<string, SkipReason & { count: number }>();

  skip(skip: RecordSkip): void {
    const reason = summaryReason(skip);
    const key = JSON.stringify(reason);
    const entry = this.skipped.get(key) ?? { ...reason, count: 0 };
    entry.count++;
    this.skipped.set(key, entry);
  }

  summary(source: string): Diagnostic {
    const { records, read, damaged } = this;
    return diagnostic('ARCHIVE_RECORDS', 'info', source, { of: 'warc', records, read, damaged, skipped: [...this.skipped.values()] });
  }
}

/** A record's reason as the summary counts it: revisits of any page together, pages of any type, responses of any type that is not HTTP. */
function summaryReason(skip: RecordSkip): SkipReason {
  return skip.kind === 'revisit' || skip.kind === 'not-http' || skip.kind === 'not-a-page' ? { kind: skip.kind } : skip;
}

/** A part of the file in which records follow one another: a gzip member (`offset`, the member's), or the whole of a plain WARC. */
interface Segment {
  offset: number | null;
  chunks: AsyncIterable<Buffer> | Iterable<Buffer>;
}

async function* segments(chunks: AsyncIterable<Buffer>): AsyncGenerator<Segment | GzipFault> {
  const { first, rest } = await withFirst(chunks);
  if (first === null) return;
  if (first[0] === 0x1f) yield* gzipMembers(rest);
  else yield { offset: null, chunks: rest };
}

async function* warcMembers(chunks: AsyncIterable<Uint8Array>, source: string, report: (d: Diagnostic) => void): AsyncGenerator<Member> {
  const tally = new Tally();
  const buffers = (async function* () {
    for await (const chunk of chunks) yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  })();
  records: for await (const segment of segments(buffers)) {
    if ('fault' in segment) {
      tally.damaged++;
      report(diagnostic('CORRUPT_INPUT', 'error', `${source}#${segment.offset}`, { ...segment, what: 'warc-member' }));
      break;
    }
    const reader = new ByteReader(segment.chunks);
    for (;;) {
      if (await skipLineBreaks(reader)) break;
      const at = reader.offset;
      // A record inside a member that holds several (a WARC gzipped whole) is named by its member and its place in it.
      const name = segment.offset === null ? `${at}` : at === 0 ? `${segment.offset}` : `${segment.offset}+${at}`;
      const record = new WarcRecord(reader, source, name, segment.offset !== null);
      tally.records++;
      const member = await record.open();
      if (member !== null) {
        report(record.note());
        yield member;
      }
      const fault = await record.finish();
      if (fault === null && record.broken === null) {
        if (member !== null) tally.read++;
        else if (record.skipped !== null) {
          tally.skip(record.skipped);
          report(record.note());
        }
        continue;
      }
      tally.damaged++;
      if (record.broken !== null) report(diagnostic('CORRUPT_INPUT', 'error', record.source, { what: 'warc', ...record.broken }));
      if (fault === null) continue;
      if (!record.faultDelivered) report(diagnostic('CORRUPT_INPUT', 'error', record.source, fault.args));
      if (fault.stop) break records;
      // In a gzipped WARC the next member starts the next record: what is left of this one is left.
      if (segment.offset !== null) break;
    }
  }
  report(tally.summary(source));
}

/** Skips the line breaks before a record (each ends with two, and some writers add more); whether the segment ends there. */
async function skipLineBreaks(reader: ByteReader): Promise<boolean> {
  for (;;) {
    const next = (await reader.fill(1))[0];
    if (next === undefined) return true;
    if (next !== 0x0d && next !== 0x0a) return false;
    reader.drop(1);
  }
}

/** How a record is damaged, and whether the reader can go on after it. */
interface Fault {
  args: CorruptData;
  stop: boolean;
}

/**
 * One record: its WARC header block, then its content of `Content-Length` bytes and the two line
 * breaks that end it. `open` reads the header and decides; `finish` reads what is left and says
 * whether the record ended where its header said.
 */
class WarcRecord {
  readonly source: string;
  private readonly name: string;
  private readonly reader: ByteReader;
  /** Where the record starts in its segment. */
  private readonly start: number;
  private readonly gzip: boolean;
  private content: ByteReader | null = null;
  private length = 0;
  private uri: string | null = null;
  private contentType: string | null = null;
  private truncated: string | null = null;
  /** Set when the record's header cannot be read. */
  private headerFault: WarcFault | null = null;
  private type = '';
  private finished: Promise<Fault | null> | null = null;
  skipped: RecordSkip | null = null;
  /** What is damaged in a record whose length is right (its HTTP header), or null. */
  broken: WarcFault | null = null;
  /** Whether the record's fault has been thrown to the member's reader (and reported by it). */
  faultDelivered = false;

  constructor(reader: ByteReader, archive: string, name: string, gzip: boolean) {
    this.reader = reader;
    this.start = reader.offset;
    this.name = name;
    this.source = `${archive}#${name}`;
    this.gzip = gzip;
  }

  /** The member to read, or null for a record skipped (`skipped` says why) or damaged (`finish` says how). */
  async open(): Promise<Member | null> {
    const head = await this.reader.headerBlock(MAX_HEADER_BYTES);
    if (!Buffer.isBuffer(head)) {
      this.headerFault = { fault: 'over' in head ? 'header-too-long' : 'header-cut' };
      return null;
    }
    const { first, fields } = headerFields(head);
    const length = fields.get('content-length') ?? '';
    if (!startsWarc(Buffer.from(first, 'latin1'))) {
      this.headerFault = { fault: 'not-a-record', start: first.slice(0, 40) };
      return null;
    }
    if (!/^\d{1,15}$/.test(length)) {
      this.headerFault = { fault: 'no-length', length };
      return null;
    }
    this.length = Number(length);
    this.content = new ByteReader(this.reader.take(this.length));
    this.uri = targetUri(fields.get('warc-target-uri'));
    this.truncated = fields.get('warc-truncated') ?? null;
    const type = fields.get('warc-type') ?? '';
    this.type = type;
    if (type === 'revisit') return this.skip({ kind: 'revisit', refersTo: fields.get('warc-refers-to-target-uri') ?? null });
    if (type !== 'response') return this.skip({ kind: 'not-response', type });
    const warcType = mediaType(fields.get('content-type')).type;
    if (warcType !== null && warcType !== 'application/http') return this.skip({ kind: 'not-http', contentType: warcType });
    return this.openHttp(this.content);
  }

  private async openHttp(content: ByteReader): Promise<Member | null> {
    const head = await content.headerBlock(MAX_HEADER_BYTES);
    if (!Buffer.isBuffer(head)) {
      this.broken = { fault: 'over' in head ? 'http-header-too-long' : 'http-header-cut' };
      return null;
    }
    const { first, fields } = headerFields(head);
    const [version = '', code = ''] = first.split(' ');
    if (!version.startsWith('HTTP/') || !/^\d{3}$/.test(code)) {
      this.broken = { fault: 'not-http', start: first.slice(0, 40) };
      return null;
    }
    if (code !== '200') return this.skip({ kind: 'status', status: code });
    const { type, charset } = mediaType(fields.get('content-type'));
    this.contentType = fields.get('content-type') ?? null;
    if (type !== null && !HTML_TYPES.has(type)) return this.skip({ kind: 'not-a-page', contentType: type });
    const coding = unknownCoding(contentCodings(fields));
    if (coding !== null) return this.skip({ kind: 'encoding', coding });
    const chunks = this.memberChunks(payload(content, fields, this.source));
    return { name: `#${this.name}`, path: this.uri ?? '', chunks, url: this.uri, charset, notFile: null, inputType: type === null ? null : 'html' };
  }

  /** The page's bytes, and at their end the check that the record ends where it says: a page cut short or run over is not read. */
  private async *memberChunks(page: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    yield* page;
    const fault = await this.finish();
    if (fault === null) return;
    this.faultDelivered = true;
    throw inputError('CORRUPT_INPUT', this.source, fault.args);
  }

  private skip(reason: RecordSkip): null {
    this.skipped = reason;
    return null;
  }

  /** What `-v` lists for a record that was whole. */
  note(): Diagnostic {
    const { name: offset, type, uri, truncated } = this;
    const outcome = this.skipped === null ? { outcome: 'read' as const, contentType: this.contentType } : { outcome: 'skipped' as const, reason: this.skipped };
    return diagnostic('ARCHIVE_RECORD', 'info', this.source, { offset, type, uri, truncated, ...outcome });
  }

  /**
   * Reads what is left of the record; null when it ended where its header said, else how it is
   * damaged. In a plain WARC the reader is then moved on to the next line that starts a record.
   */
  finish(): Promise<Fault | null> {
    this.finished ??= this.readEnd();
    return this.finished;
  }

  private async readEnd(): Promise<Fault | null> {
    const fault = this.headerFault ?? (await this.endFault());
    if (fault === null) return null;
    if (fault.fault === 'header-cut' || fault.fault === 'cut') return { args: { what: 'warc', ...fault }, stop: true };
    if (this.gzip) return { args: { what: 'warc', ...fault }, stop: false };
    // Past this record's own start, which a header that cannot be read leaves unread.
    const own = this.reader.offset === this.start && (await this.reader.fill(1)).length > 0 ? 1 : 0;
    this.reader.drop(own);
    const skipped = await this.reader.skipToLine(WARC_SLASH);
    if (skipped === null) return { args: { what: 'warc', ...fault, resync: null }, stop: true };
    return { args: { what: 'warc', ...fault, resync: { skipped: own + skipped, offset: this.reader.offset } }, stop: false };
  }

  private async endFault(): Promise<WarcFault | null> {
    const content = this.content as ByteReader;
    await content.skip(Number.POSITIVE_INFINITY);
    const { length } = this;
    if (content.offset < length) return { fault: this.gzip ? 'member-short' : 'cut', got: content.offset, length };
    if (await this.reader.skipIf(RECORD_END)) return null;
    // A record at the very end of its member or file without its last line breaks has lost nothing.
    if (await this.reader.atEnd()) return null;
    return { fault: 'wrong-length', length };
  }
}

/** A `WARC-Target-URI`, without the angle brackets wget 1.21 writes around it (after the WARC 1.0 draft's grammar). */
function targetUri(value: string | undefined): string | null {
  if (value === undefined || value === '') return null;
  return value.startsWith('<') && value.endsWith('>') ? value.slice(1, -1) : value;
}
