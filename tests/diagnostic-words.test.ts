/**
 * The words of the diagnostics whose args describe damaged data and web archives' records: each
 * rendered from its args to the exact words the readers wrote before they passed data (issue 15),
 * so that messages do not change under scripts that read them. The cases that no input in the other
 * tests reaches (a CRC mismatch, a 1 MiB header) are here too.
 */
import { describe, expect, it } from 'vitest';
import { diagnostic } from '../src/diagnostics.js';
import type { DiagnosticArgs, FlagFault } from '../src/types.js';
import { runCli } from './helpers/cli.js';

const CORRUPT: [DiagnosticArgs['CORRUPT_INPUT'], string][] = [
  [{ what: 'gzip', fault: 'cut' }, 'gzip data ends before its end (a cut-off file?)'],
  [{ what: 'brotli', fault: 'corrupt', libraryMessage: 'Decompression failed' }, 'brotli data is corrupt (Decompression failed)'],
  [
    { what: 'content-encoding', coding: 'deflate', fault: 'corrupt', libraryMessage: 'invalid stored block lengths' },
    "the page's deflate (Content-Encoding) data is corrupt (invalid stored block lengths)",
  ],
  [{ what: 'content-encoding', coding: 'br', fault: 'cut' }, "the page's br (Content-Encoding) data ends before its end (a cut-off file?)"],
  [{ what: 'http-chunks', fault: 'damaged' }, 'the chunked HTTP body is damaged or ends before its last chunk'],
  [
    { what: 'tar', fault: 'damaged', libraryMessage: 'Truncated input (needed 512 more bytes, only 0 available)' },
    'tar data is damaged: truncated input (needed 512 more bytes, only 0 available)',
  ],
  [{ what: 'mhtml', fault: 'not-whole', libraryMessage: 'Unexpected end of input' }, 'not a whole MHTML file (Unexpected end of input)'],
  [{ what: 'layers', fault: 'too-deep', depth: 8 }, 'compressed or archived more than 8 times over'],
  [{ what: 'feed', open: null, fault: 'entities' }, 'a DOCTYPE that declares entities (an entity expansion attack?), which postdump never expands'],
  [
    { what: 'feed', open: 'item', fault: 'not-well-formed', column: 7, libraryMessage: 'unclosed tag: item.' },
    'not well-formed XML (column 7: unclosed tag: item); the item open there and the rest of the feed are not read',
  ],
  [
    { what: 'feed', open: 'entry', fault: 'element-too-long', limit: 16 * 1024 * 1024 },
    'an element longer than 16 MiB; the entry open there and the rest of the feed are not read',
  ],
  [
    { what: 'warc-member', fault: 'not-gzip' },
    'not gzip data, where the next record of this gzipped WARC should start (a record stored uncompressed?): the rest of the file is not read',
  ],
  [{ what: 'warc-member', fault: 'cut' }, "the file ends inside this record's gzip member (a cut-off file?)"],
  [{ what: 'warc-member', fault: 'header-too-long' }, 'a gzip header longer than 1 MiB: the rest of the file is not read'],
  [{ what: 'warc-member', fault: 'crc' }, 'gzip data damaged (CRC mismatch): the rest of the file is not read'],
  [{ what: 'warc-member', fault: 'length' }, 'gzip data damaged (length mismatch): the rest of the file is not read'],
  [
    { what: 'warc-member', fault: 'corrupt', libraryMessage: 'invalid distance too far back' },
    'gzip data damaged (invalid distance too far back): the rest of the file is not read',
  ],
  [{ what: 'warc', fault: 'header-too-long' }, 'a WARC header block longer than 1 MiB: not a WARC record'],
  [{ what: 'warc', fault: 'header-cut' }, "the file ends inside this record's header (a cut-off file?)"],
  [
    { what: 'warc', fault: 'not-a-record', start: 'HTTP/1.1 200 OK', resync: { skipped: 1234, offset: 5678 } },
    'not a WARC record: it starts "HTTP/1.1 200 OK"; 1,234 bytes skipped to the next record, #5678',
  ],
  [
    { what: 'warc', fault: 'no-length', length: 'abc', resync: null },
    'a WARC record without a Content-Length (its header says "abc"); no record after it: the rest of the file is not read',
  ],
  [{ what: 'warc', fault: 'http-header-too-long' }, 'an HTTP header block longer than 1 MiB: not read'],
  [{ what: 'warc', fault: 'http-header-cut' }, 'the record ends inside its HTTP header: not read'],
  [{ what: 'warc', fault: 'not-http', start: 'hello' }, 'a response record whose content is not an HTTP response: it starts "hello"'],
  [
    { what: 'warc', fault: 'member-short', got: 1000, length: 20000 },
    "the record's gzip member ends before its Content-Length: 1,000 of 20,000 bytes (a wrong Content-Length?)",
  ],
  [{ what: 'warc', fault: 'cut', got: 1000, length: 20000 }, 'the file ends inside this record, after 1,000 of its 20,000 bytes (a cut-off file?)'],
  [{ what: 'warc', fault: 'wrong-length', length: 4096 }, 'the record does not end where its Content-Length (4,096) says (a wrong Content-Length?)'],
];

const RECORD = { offset: '0', type: 'response', uri: 'https://kexue.fm/', truncated: null } as const;
const RECORDS: [DiagnosticArgs['ARCHIVE_RECORD'], string][] = [
  [{ ...RECORD, outcome: 'read', contentType: 'text/html; charset=utf-8' }, 'read as a page (text/html; charset=utf-8): https://kexue.fm/'],
  [{ ...RECORD, uri: null, truncated: 'length', outcome: 'read', contentType: null }, 'read (no Content-Type: told by its bytes) (cut by the crawler: length)'],
  [
    { ...RECORD, type: 'revisit', outcome: 'skipped', reason: { kind: 'revisit', refersTo: null } },
    'skipped, revisit of an earlier capture: https://kexue.fm/',
  ],
  [
    { ...RECORD, type: 'revisit', outcome: 'skipped', reason: { kind: 'revisit', refersTo: 'https://a/' } },
    'skipped, revisit of https://a/: https://kexue.fm/',
  ],
  [{ ...RECORD, type: 'request', outcome: 'skipped', reason: { kind: 'not-response', type: 'request' } }, 'skipped, request record: https://kexue.fm/'],
  [{ ...RECORD, type: '', uri: null, outcome: 'skipped', reason: { kind: 'not-response', type: '' } }, 'skipped, untyped record'],
  [{ ...RECORD, outcome: 'skipped', reason: { kind: 'not-http', contentType: 'text/dns' } }, 'skipped, not an HTTP response (text/dns): https://kexue.fm/'],
  [{ ...RECORD, outcome: 'skipped', reason: { kind: 'status', status: '404' } }, 'skipped, status 404: https://kexue.fm/'],
  [{ ...RECORD, outcome: 'skipped', reason: { kind: 'not-a-page', contentType: 'image/png' } }, 'skipped, not a page (image/png): https://kexue.fm/'],
  [{ ...RECORD, outcome: 'skipped', reason: { kind: 'encoding', coding: 'zstd' } }, 'skipped, encoded as zstd: https://kexue.fm/'],
];

const SUMMARIES: [DiagnosticArgs['ARCHIVE_RECORDS'], string][] = [
  [{ of: 'warc', records: 1, read: 1, damaged: 0, skipped: [] }, '1 record: 1 read'],
  [
    {
      of: 'warc',
      records: 14,
      read: 2,
      damaged: 1,
      skipped: [
        { kind: 'not-response', type: 'request', count: 1 },
        { kind: 'not-a-page', count: 3 },
        { kind: 'revisit', count: 1 },
        { kind: 'status', status: '301', count: 3 },
        { kind: 'not-http', count: 2 },
        { kind: 'encoding', coding: 'zstd', count: 1 },
      ],
    },
    '14 records: 2 read, 11 skipped (3 not pages, 3 with status 301, 2 not HTTP responses, 1 request record, 1 revisit, 1 encoded as zstd), 1 damaged',
  ],
  [
    {
      of: 'warc',
      records: 5,
      read: 0,
      damaged: 0,
      skipped: [
        { kind: 'not-response', type: '', count: 2 },
        { kind: 'revisit', count: 2 },
        { kind: 'not-http', count: 1 },
      ],
    },
    '5 records: 0 read, 5 skipped (2 untyped records, 2 revisits, 1 not an HTTP response)',
  ],
  [{ of: 'mhtml', parts: [] }, 'the page (text/html) read'],
  [
    {
      of: 'mhtml',
      parts: [
        { contentType: 'image/png', count: 3 },
        { contentType: null, count: 1 },
      ],
    },
    'the page (text/html) read; not pages: 3 image/png, 1 no Content-Type',
  ],
];

// What an input is that is not a page, and where a snapshot has none: kinds and counts, not phrases.
const NOT_PAGES: [DiagnosticArgs['NOT_A_PAGE'], string][] = [
  [{ kind: 'robots' }, 'a robots.txt'],
  [{ kind: 'style-sheet' }, 'a style sheet'],
  [{ kind: 'script' }, 'a script'],
  [{ kind: 'json' }, 'JSON data'],
  [{ kind: 'special-file' }, 'a named pipe, socket or device'],
  [{ kind: 'xml', root: 'urlset' }, 'a sitemap'],
  [{ kind: 'xml', root: 'rsd' }, 'a service description (RSD)'],
  [{ kind: 'xml', root: null }, 'an XML document'],
  [{ kind: 'link', target: '../index.html' }, 'a link to ../index.html'],
  [{ kind: 'link', target: null }, 'a link to ?'],
  [{ kind: 'entry', type: 'Directory' }, 'a Directory entry'],
  [{ binary: { format: 'a PNG image' } }, 'a PNG image'],
];
const POSTLESS: [DiagnosticArgs['NO_POSTS'], string][] = [
  [{ in: 'mhtml', parts: [] }, 'this MHTML snapshot has no text/html part'],
  [
    {
      in: 'mhtml',
      parts: [
        { contentType: 'image/png', count: 3 },
        { contentType: null, count: 1 },
      ],
    },
    'this MHTML snapshot has no text/html part (its parts: 3 image/png, 1 no Content-Type)',
  ],
];

// The command line's flag errors: typed too, in the words the CLI wrote itself before.
const FLAGS: [FlagFault, string][] = [
  [{ fault: 'both-outputs' }, '--out-dir and --merge were both given: choose one output per input (--out-dir) or one merged file (--merge)'],
  [{ fault: 'merge-to-stdout' }, 'convert writes files, never standard output: use postdump parse for that'],
  [{ fault: 'stdin-to-out-dir' }, 'convert --out-dir reads files: name them, or use --merge FILE (or postdump parse) for standard input'],
  [{ fault: 'out-dir-only', flag: '--keep-ext' }, '--keep-ext applies to --out-dir, one output per input'],
  [{ fault: 'outside-out-dir', input: 'a/../../b.txt', outDir: 'out' }, 'a/../../b.txt would be written outside --out-dir out'],
  [
    { fault: 'same-output', inputs: ['p/a.html', 'p/a.txt'], output: 'out/a.json', apart: { by: 'keep-ext', names: ['a.html.json', 'a.txt.json'] } },
    'p/a.html and p/a.txt would both be written to out/a.json; add --keep-ext to keep their extensions in the names (a.html.json, a.txt.json), or use --merge',
  ],
  [
    { fault: 'same-output', inputs: ['x/a.txt', 'y/a.txt'], output: 'out/a.json', apart: { by: 'folder' } },
    'x/a.txt and y/a.txt would both be written to out/a.json; convert their folder instead, or use --merge',
  ],
  [
    { fault: 'same-output', inputs: ['a.txt', 'b/a.txt'], output: 'out/a.json', apart: { by: 'rename' } },
    'a.txt and b/a.txt would both be written to out/a.json; rename one of them, or use --merge',
  ],
  [
    { fault: 'unknown-format', output: 'posts.xml', formats: ['json', 'jsonl', 'csv', 'md'] },
    'cannot tell the output format from "posts.xml"; add -f json|jsonl|csv|md',
  ],
  [{ fault: 'format-only', flag: '--excel', format: 'csv', given: 'json' }, '--excel applies to -f csv output, not json'],
  [{ fault: 'since-after-until', since: '2022-01-01', until: '2021-01-01' }, '--since 2022-01-01 is after --until 2021-01-01: no post could match'],
  [{ fault: 'reverse-without-sort', keys: ['date', 'readers', 'title'] }, '--reverse applies to --sort; add --sort date|readers|title'],
  [{ fault: 'not-a-number', flag: '--limit', value: '-1', min: 0 }, '--limit expects a whole number (0 or more), not "-1"'],
  [{ fault: 'not-a-number', flag: '--top', value: '0', min: 1 }, '--top expects a whole number of 1 or more, not "0"'],
  [{ fault: 'not-a-date', flag: '--since', value: '2021-02-30' }, '--since expects a real date as YYYY-MM-DD, not "2021-02-30"'],
  [{ fault: 'empty-text', flag: '--grep' }, '--grep expects a non-empty text'],
  [{ fault: 'unknown-field', field: 'name', fields: ['title', 'date'] }, '--fields: unknown field "name"; the fields are title, date'],
  [{ fault: 'field-twice', field: 'title' }, '--fields: "title" is named twice'],
];

describe('the words of damaged data and archive records, rendered from their args', () => {
  it.each(CORRUPT)('CORRUPT_INPUT %j', (args, words) => {
    expect(diagnostic('CORRUPT_INPUT', 'error', 'x', args).detail).toBe(words);
  });
  it.each(RECORDS)('ARCHIVE_RECORD %j', (args, words) => {
    expect(diagnostic('ARCHIVE_RECORD', 'info', 'x', args).detail).toBe(words);
  });
  it.each(SUMMARIES)('ARCHIVE_RECORDS %j', (args, words) => {
    expect(diagnostic('ARCHIVE_RECORDS', 'info', 'x', args).detail).toBe(words);
  });
  it.each(NOT_PAGES)('NOT_A_PAGE %j', (args, words) => {
    expect(diagnostic('NOT_A_PAGE', 'info', 'x', args).detail).toBe(words);
  });
  it.each(POSTLESS)('NO_POSTS %j', (args, words) => {
    expect(diagnostic('NO_POSTS', 'error', 'x', args).detail).toBe(words);
  });
  it.each(FLAGS)('USAGE flags %j', (fault, words) => {
    expect(diagnostic('USAGE', 'error', null, { problem: 'flags', ...fault }).detail).toBe(words);
  });
});

describe('check --json gives them as args', () => {
  it('a WARC with a wrong Content-Length: each record, the damage and where the reader went on, the count by reason', () => {
    const found = JSON.parse(runCli(['check', '--json', 'fixtures/archives/bad/content-length-too-small.warc']).stdout) as { code: string; args: unknown }[];
    const args = (code: string) => found.filter((d) => d.code === code).map((d) => d.args);
    expect(args('CORRUPT_INPUT')).toEqual([{ what: 'warc', fault: 'wrong-length', length: 11984, resync: { skipped: 1004, offset: 14385 } }]);
    expect(args('ARCHIVE_RECORDS')).toEqual([
      {
        of: 'warc',
        records: 8,
        read: 2,
        damaged: 1,
        skipped: [
          { kind: 'not-response', type: 'warcinfo', count: 1 },
          { kind: 'not-response', type: 'request', count: 1 },
          { kind: 'not-response', type: 'metadata', count: 1 },
          { kind: 'revisit', count: 1 },
          { kind: 'not-a-page', count: 1 },
        ],
      },
    ]);
    expect(args('ARCHIVE_RECORD').slice(0, 3)).toEqual([
      { offset: '0', type: 'warcinfo', uri: null, truncated: null, outcome: 'skipped', reason: { kind: 'not-response', type: 'warcinfo' } },
      {
        offset: '312',
        type: 'request',
        uri: 'https://kexue.fm/archives/9119',
        truncated: null,
        outcome: 'skipped',
        reason: { kind: 'not-response', type: 'request' },
      },
      { offset: '958', type: 'response', uri: 'https://kexue.fm/archives/9119', truncated: null, outcome: 'read', contentType: 'text/html; charset=UTF-8' },
    ]);
  });
});
