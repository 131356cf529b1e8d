import type {
  BinaryFinding,
  CorruptData,
  FlagFault,
  Diagnostic,
  DiagnosticArgs,
  DiagnosticCode,
  GzipDamage,
  HeaderFault,
  NotAPage,
  PostFault,
  RecordSkip,
  Severity,
  SkipReason,
  WarcFault,
  XmlRoot,
} from './types.js';
import { byteSize, count, digits } from './words.js';

/** A diagnostic before its words: what the renderer reads. */
type Finding = { [C in DiagnosticCode]: Omit<Extract<Diagnostic, { code: C }>, 'detail'> }[DiagnosticCode];

const HEADER_SHAPE = '"By <author> | <date> | <N>位读者"';

/** Builds a diagnostic from its code and arguments, its `detail` rendered from them; `line` and `endLine` default to null. */
export function diagnostic<C extends DiagnosticCode>(
  code: C,
  severity: Severity,
  source: string | null,
  args: DiagnosticArgs[C],
  line: number | null = null,
  endLine: number | null = null,
): Diagnostic {
  // The correlation of `code` and `args` that the signature enforces is beyond what TypeScript tracks through the generic.
  const finding = { code, severity, source, line, endLine, args } as Finding;
  return { code, severity, source, line, endLine, detail: specifics(finding), args } as Diagnostic;
}

/** A diagnostic's specifics in words (its `detail`): the offending text, the reason, the path; may be empty. */
function specifics(d: Finding): string {
  switch (d.code) {
    case 'BROKEN_HEADER':
      return headerFault(d.args);
    case 'SKIPPED_NOISE':
      return `${plural(d.args.lines, 'line')} starting "${d.args.start}"`;
    case 'SKIPPED_POST':
      return `${d.args.title === '' ? (d.args.of === 'post' ? 'a post' : 'an item') : `"${d.args.title}"`} ${postFault(d.args)}`;
    case 'HTML_PAGE':
      return d.args.layout === 'text'
        ? `a page without kexue.fm's layout (no div.Post, no #PostContent): its visible text, ${count(d.args.lines, 'line')}, through the text parser`
        : `a kexue.fm ${d.args.layout} page (${d.args.layout === 'listing' ? 'div.Post' : '#PostContent'}): ${plural(d.args.posts, 'post')}`;
    case 'TEXT_LAYOUT':
      return `${d.args.layout} layout${d.args.links > 0 ? `, ${plural(d.args.links, 'link')}` : ''}`;
    case 'NO_POSTS':
      switch (d.args.in) {
        case 'text':
          return '';
        case 'page-text':
          return `this HTML page has no div.Post or #PostContent, and its visible text has no title line followed by a ${HEADER_SHAPE} header`;
        case 'listing':
          return 'no div.Post of this HTML page could be read';
        case 'article':
          return 'no article of this HTML page could be read';
        case 'feed':
          return 'this feed has no item or entry';
        case 'archive':
          return 'no member of this archive holds a post';
        case 'mhtml':
          return `this MHTML snapshot has no text/html part${d.args.parts.length === 0 ? '' : ` (its parts: ${partCounts(d.args.parts)})`}`;
      }
      break;
    case 'BINARY_INPUT':
      return binary(d.args);
    case 'NOT_A_PAGE':
      return 'binary' in d.args ? binary(d.args.binary) : notAPage(d.args);
    case 'CORRUPT_INPUT':
      return corrupt(d.args);
    case 'INPUT_UNREADABLE':
      return d.args.reason;
    case 'LINE_TOO_LONG':
      return byteSize(d.args.limit);
    case 'PAGE_TOO_LARGE':
      return d.args.of === 'bytes' ? byteSize(d.args.limit) : `${digits(d.args.limit)} nodes (elements, attributes, texts, comments)`;
    case 'UNDECODABLE':
      if ('declared' in d.args) return `not valid UTF-8 or GB18030${d.args.declared === null ? '' : ` nor ${d.args.declared} (as its <meta> declares)`}`;
      return d.args.exact ? `invalid ${d.args.encoding} at byte ${d.args.offset}` : `not valid ${d.args.encoding} near byte ${d.args.offset}`;
    case 'USAGE':
      switch (d.args.problem) {
        case 'unknown-encoding':
          return `unknown encoding "${d.args.encoding}" (try auto, utf-8, gb18030, gbk, big5, utf-16le, utf-16be, shift_jis, windows-1252, cp437)`;
        case 'refused-encoding':
          return `encoding "${d.args.encoding}" is not supported: ${d.args.reason}`;
        case 'unknown-input-type':
          return `unknown input type "${d.args.inputType}" (${orList(d.args.inputTypes)})`;
        case 'needs-stream':
          return `${d.args.input}: ${d.args.what}; parse() reads plain text and pages: parseStream() also reads compressed files and archives`;
        case 'flags':
          return flagFault(d.args);
      }
      break;
    case 'ARCHIVE_RECORD': {
      const read =
        d.args.outcome === 'read'
          ? d.args.contentType === null
            ? 'read (no Content-Type: told by its bytes)'
            : `read as a page (${d.args.contentType})`
          : `skipped, ${recordSkip(d.args.reason)}`;
      return `${read}${d.args.truncated === null ? '' : ` (cut by the crawler: ${d.args.truncated})`}${d.args.uri === null ? '' : `: ${d.args.uri}`}`;
    }
    case 'ARCHIVE_RECORDS':
      return d.args.of === 'mhtml' ? mhtmlParts(d.args.parts) : warcRecords(d.args);
    case 'INPUT_NO_MATCH':
      return d.args.of === 'folder' ? 'no file to read in this folder' : 'no file matches this pattern';
    case 'PAGE_RESOURCE':
      return d.args.page;
    case 'EXCLUDED':
      return d.args.pattern;
    case 'LINK_NOT_FOLLOWED':
      return d.args.to === 'nothing' ? 'a link that points to nothing' : 'a link to a folder';
    case 'UP_TO_DATE':
      return d.args.output;
    case 'OUTPUT_EXISTS':
    case 'OUTPUT_IS_INPUT':
      return d.args.path;
    case 'OUTPUT_UNWRITABLE':
      return `${d.args.path}: ${d.args.reason}`;
    case 'OUTPUT_LINK':
      return `${d.args.link}, a symbolic link inside --out-dir to ${d.args.target}`;
    case 'OUT_OF_MEMORY':
      if ('tooLarge' in d.args) return `a value grew larger than JavaScript can hold (${d.args.tooLarge})`;
      if ('held' in d.args) return `the system gave ${d.args.holder} no more memory (${mebibytes(d.args.held)} held)`;
      return d.args.of === 'heap'
        ? `${d.args.holder} needs more than the ${mebibytes(d.args.limit)} this run may keep on its heap`
        : `${d.args.holder} needs more than the ${mebibytes(d.args.limit)} of memory that were free when the run started`;
    case 'NO_TITLE':
    case 'EMPTY_INPUT':
    case 'INPUT_NOT_FOUND':
    case 'INPUT_IS_DIRECTORY':
    case 'HIDDEN':
      return '';
  }
  return '';
}

const CUT = '(a cut-off file?)';

/** What is damaged, and how, said of the data: `gzip data ends before its end (a cut-off file?)`. */
function corrupt(c: CorruptData): string {
  switch (c.what) {
    case 'gzip':
    case 'brotli':
    case 'content-encoding': {
      const what = c.what === 'content-encoding' ? `the page's ${c.coding} (Content-Encoding)` : c.what;
      return `${what} data ${c.fault === 'cut' ? `ends before its end ${CUT}` : `is corrupt (${c.libraryMessage})`}`;
    }
    case 'http-chunks':
      return 'the chunked HTTP body is damaged or ends before its last chunk';
    case 'tar':
      return `tar data is damaged: ${c.libraryMessage.charAt(0).toLowerCase()}${c.libraryMessage.slice(1)}`;
    case 'mhtml':
      return `not a whole MHTML file (${c.libraryMessage})`;
    case 'layers':
      return `compressed or archived more than ${c.depth} times over`;
    case 'feed': {
      const open = c.open === null ? '' : `; the ${c.open} open there and the rest of the feed are not read`;
      switch (c.fault) {
        case 'entities':
          return `a DOCTYPE that declares entities (an entity expansion attack?), which postdump never expands${open}`;
        case 'not-well-formed':
          return `not well-formed XML (column ${c.column}: ${c.libraryMessage.endsWith('.') ? c.libraryMessage.slice(0, -1) : c.libraryMessage})${open}`;
        case 'element-too-long':
          return `an element longer than ${c.limit / (1024 * 1024)} MiB${open}`;
      }
      break;
    }
    case 'warc-member':
      return warcMember(c);
    case 'warc': {
      const resync =
        c.resync === undefined
          ? ''
          : c.resync === null
            ? '; no record after it: the rest of the file is not read'
            : `; ${c.resync.skipped.toLocaleString('en-US')} bytes skipped to the next record, #${c.resync.offset}`;
      return `${warcFault(c)}${resync}`;
    }
  }
  return '';
}

/** A gzip member of a WARC that is not gzip or is damaged: the reading ends there. */
function warcMember(g: GzipDamage): string {
  switch (g.fault) {
    case 'not-gzip':
      return 'not gzip data, where the next record of this gzipped WARC should start (a record stored uncompressed?): the rest of the file is not read';
    case 'cut':
      return `the file ends inside this record's gzip member ${CUT}`;
    case 'header-too-long':
      return 'a gzip header longer than 1 MiB: the rest of the file is not read';
    case 'crc':
      return 'gzip data damaged (CRC mismatch): the rest of the file is not read';
    case 'length':
      return 'gzip data damaged (length mismatch): the rest of the file is not read';
    case 'corrupt':
      return `gzip data damaged (${g.libraryMessage}): the rest of the file is not read`;
  }
}

function warcFault(f: WarcFault): string {
  switch (f.fault) {
    case 'header-too-long':
      return 'a WARC header block longer than 1 MiB: not a WARC record';
    case 'header-cut':
      return `the file ends inside this record's header ${CUT}`;
    case 'not-a-record':
      return `not a WARC record: it starts "${f.start}"`;
    case 'no-length':
      return `a WARC record without a Content-Length (its header says "${f.length}")`;
    case 'http-header-too-long':
      return 'an HTTP header block longer than 1 MiB: not read';
    case 'http-header-cut':
      return 'the record ends inside its HTTP header: not read';
    case 'not-http':
      return `a response record whose content is not an HTTP response: it starts "${f.start}"`;
    case 'member-short':
      return `the record's gzip member ends before its Content-Length: ${f.got.toLocaleString('en-US')} of ${f.length.toLocaleString('en-US')} bytes (a wrong Content-Length?)`;
    case 'cut':
      return `the file ends inside this record, after ${f.got.toLocaleString('en-US')} of its ${f.length.toLocaleString('en-US')} bytes ${CUT}`;
    case 'wrong-length':
      return `the record does not end where its Content-Length (${f.length.toLocaleString('en-US')}) says (a wrong Content-Length?)`;
  }
}

/** Why a record is skipped, as `-v` lists it: `status 404`, `not a page (image/png)`. */
function recordSkip(r: RecordSkip): string {
  switch (r.kind) {
    case 'revisit':
      return `revisit of ${r.refersTo ?? 'an earlier capture'}`;
    case 'not-http':
      return `not an HTTP response (${r.contentType})`;
    case 'status':
      return `status ${r.status}`;
    case 'not-a-page':
      return `not a page (${r.contentType})`;
    default:
      return skipReason(r, 1);
  }
}

/** A reason in the summary, for `n` records: `not pages`, `with status 404`. */
function skipReason(r: SkipReason, n: number): string {
  const many = n !== 1;
  switch (r.kind) {
    case 'revisit':
      return many ? 'revisits' : 'revisit';
    case 'not-response':
      return `${r.type || 'untyped'} record${many ? 's' : ''}`;
    case 'not-http':
      return many ? 'not HTTP responses' : 'not an HTTP response';
    case 'status':
      return `with status ${r.status}`;
    case 'not-a-page':
      return many ? 'not pages' : 'not a page';
    case 'encoding':
      return `encoded as ${r.coding}`;
  }
}

/** `12 records: 3 read, 8 skipped (5 not pages, 3 with status 404), 1 damaged`: the most frequent reason first. */
function warcRecords(w: Extract<DiagnosticArgs['ARCHIVE_RECORDS'], { of: 'warc' }>): string {
  const skipped = [...w.skipped].sort((a, b) => b.count - a.count);
  const total = skipped.reduce((sum, s) => sum + s.count, 0);
  const parts = [`${w.read} read`];
  if (total > 0) parts.push(`${total} skipped (${skipped.map((s) => `${s.count} ${skipReason(s, s.count)}`).join(', ')})`);
  if (w.damaged > 0) parts.push(`${w.damaged} damaged`);
  return `${plural(w.records, 'record')}: ${parts.join(', ')}`;
}

function mhtmlParts(parts: readonly PartCount[]): string {
  return `the page (text/html) read${parts.length === 0 ? '' : `; not pages: ${partCounts(parts)}`}`;
}

type PartCount = { contentType: string | null; count: number };

/** An MHTML snapshot's parts by type: `3 image/png, 1 no Content-Type`. */
function partCounts(parts: readonly PartCount[]): string {
  return parts.map((p) => `${p.count} ${p.contentType ?? 'no Content-Type'}`).join(', ');
}

const XML_DOCUMENTS: Record<XmlRoot, string> = {
  urlset: 'a sitemap',
  sitemapindex: 'a sitemap index',
  'rdf:rdf': 'an RDF document',
  svg: 'an SVG image',
  opml: 'an OPML outline',
  rsd: 'a service description (RSD)',
};

/** What a text that is not a page is: `a robots.txt`, `a sitemap`, `a link to ../a.html`. */
function notAPage(n: NotAPage): string {
  switch (n.kind) {
    case 'robots':
      return 'a robots.txt';
    case 'style-sheet':
      return 'a style sheet';
    case 'script':
      return 'a script';
    case 'json':
      return 'JSON data';
    case 'special-file':
      return 'a named pipe, socket or device';
    case 'xml':
      return n.root === null ? 'an XML document' : XML_DOCUMENTS[n.root];
    case 'link':
      return `a link to ${n.target ?? '?'}`;
    case 'entry':
      return `a ${n.type} entry`;
  }
}

/** How command-line flags are misused, in the command line's words (these name its flags). */
function flagFault(f: FlagFault): string {
  switch (f.fault) {
    case 'both-outputs':
      return '--out-dir and --merge were both given: choose one output per input (--out-dir) or one merged file (--merge)';
    case 'merge-to-stdout':
      return 'convert writes files, never standard output: use postdump parse for that';
    case 'stdin-to-out-dir':
      return 'convert --out-dir reads files: name them, or use --merge FILE (or postdump parse) for standard input';
    case 'out-dir-only':
      return `${f.flag} applies to --out-dir, one output per input`;
    case 'outside-out-dir':
      return `${f.input} would be written outside --out-dir ${f.outDir}`;
    case 'same-output': {
      const apart =
        f.apart.by === 'keep-ext'
          ? `add --keep-ext to keep their extensions in the names (${f.apart.names[0]}, ${f.apart.names[1]})`
          : f.apart.by === 'folder'
            ? 'convert their folder instead'
            : 'rename one of them';
      return `${f.inputs[0]} and ${f.inputs[1]} would both be written to ${f.output}; ${apart}, or use --merge`;
    }
    case 'unknown-format':
      return `cannot tell the output format from "${f.output}"; add -f ${f.formats.join('|')}`;
    case 'format-only':
      return `${f.flag} applies to -f ${f.format} output, not ${f.given}`;
    case 'since-after-until':
      return `--since ${f.since} is after --until ${f.until}: no post could match`;
    case 'reverse-without-sort':
      return `--reverse applies to --sort; add --sort ${f.keys.join('|')}`;
    case 'not-a-number':
      return `${f.flag} expects a whole number ${f.min === 0 ? '(0 or more)' : `of ${f.min} or more`}, not "${f.value}"`;
    case 'not-a-date':
      return `${f.flag} expects a real date as YYYY-MM-DD, not "${f.value}"`;
    case 'empty-text':
      return `${f.flag} expects a non-empty text`;
    case 'unknown-field':
      return `--fields: unknown field "${f.field}"; the fields are ${f.fields.join(', ')}`;
    case 'field-twice':
      return `--fields: "${f.field}" is named twice`;
  }
}

/** `1,024 MiB`, rounded. */
function mebibytes(bytes: number): string {
  return `${digits(Math.round(bytes / (1024 * 1024)))} MiB`;
}

/** `1 line`, `1234 lines`: a count without digit grouping, as these messages have always had it. */
function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function binary(b: BinaryFinding): string {
  return 'format' in b ? b.format : `NUL byte at offset ${b.nulAt}`;
}

/** `a, b or c`. */
function orList(words: readonly string[]): string {
  return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}

/** Why a header-like line does not parse, said of the line: `has no author`, `its date "..." is not a real YYYY-MM-DD date`. */
function headerFault(f: HeaderFault): string {
  switch (f.fault) {
    case 'shape':
      return `does not match ${HEADER_SHAPE}`;
    case 'no-author':
      return 'has no author';
    case 'date':
      return `its date "${f.date}" is not a real YYYY-MM-DD date`;
    case 'no-readers':
      return 'has no reader count';
    case 'readers':
      return `its reader count "${f.readers}" is not a number`;
    case 'readers-too-large':
      return `its reader count "${f.readers}" is too large`;
  }
}

/** Why a post of a page or an item of a feed gives no record, said of it. */
function postFault(f: PostFault): string {
  switch (f.fault) {
    case 'no-title':
      return 'has no title';
    case 'no-meta':
      return 'has no meta line (span.submitted)';
    case 'meta':
      return `has a meta line "${f.meta}" that ${f.header === null ? `is not ${HEADER_SHAPE}` : headerFault(f.header)}`;
    case 'no-date':
      return 'has no date (pubDate, published, updated or dc:date)';
    case 'date':
      return `has a date "${f.date}" that is not a real date`;
    case 'no-author':
      return 'has no author (dc:creator, author)';
  }
}

/**
 * The one place that turns a diagnostic into words (without the program name, severity or location),
 * naming neither the library's options nor the command line's flags (but for a misuse of the flags
 * themselves, which only the command line reports): each adds its own advice ({@link libraryAdvice},
 * the CLI's `cliAdvice`).
 */
export function describe(d: Diagnostic): string {
  switch (d.code) {
    case 'BROKEN_HEADER':
      return `line looks like a post header but ${d.detail}; kept as excerpt text`;
    case 'NO_TITLE':
      return 'post header with no title line above it; kept as excerpt text';
    case 'SKIPPED_NOISE':
      return `skipped page noise: ${d.detail}`;
    case 'SKIPPED_POST':
      return `post skipped: ${d.detail}`;
    case 'HTML_PAGE':
      return `read as ${d.detail}`;
    case 'NO_POSTS':
      return d.detail === '' ? `no post found (a post is a title line followed by a ${HEADER_SHAPE} header)` : `no post found: ${d.detail}`;
    case 'EMPTY_INPUT':
      return 'input is empty';
    case 'BINARY_INPUT':
      return `binary input (${d.detail}), not a text dump`;
    case 'NOT_A_PAGE':
      return `${d.severity === 'info' ? 'skipped: ' : ''}${d.detail}, not a page or a text dump`;
    case 'LINE_TOO_LONG':
      return `line longer than ${d.detail}; is this really a text dump?`;
    case 'PAGE_TOO_LARGE':
      return `HTML page larger than ${d.detail}, which is read whole; is this really a saved page?`;
    case 'INPUT_NOT_FOUND':
      return 'no such file';
    case 'INPUT_IS_DIRECTORY':
      return 'is a directory, not a file';
    case 'INPUT_UNREADABLE':
      return `cannot read: ${d.detail}`;
    case 'PAGE_RESOURCE':
      return `skipped: a resource of the saved page ${d.detail} (its _files folder)`;
    case 'EXCLUDED':
      return `skipped: excluded by --exclude ${d.detail}`;
    case 'HIDDEN':
      return 'skipped: hidden';
    case 'LINK_NOT_FOLLOWED':
      return `skipped: ${d.detail}, not followed`;
    case 'UP_TO_DATE':
      return `skipped: ${d.detail} is up to date`;
    case 'OUTPUT_EXISTS':
      return `${d.detail} already exists`;
    case 'OUTPUT_IS_INPUT':
      return `${d.detail} is one of the inputs; refusing to overwrite it`;
    case 'OUTPUT_UNWRITABLE':
      return `cannot write ${d.detail}`;
    case 'OUTPUT_LINK':
      return `not writing through ${d.detail}`;
    case 'OUT_OF_MEMORY':
      return `not enough memory: ${d.detail}`;
    case 'TEXT_LAYOUT':
    case 'ARCHIVE_RECORD':
    case 'ARCHIVE_RECORDS':
    case 'CORRUPT_INPUT':
    case 'UNDECODABLE':
    case 'INPUT_NO_MATCH':
    case 'USAGE':
      return d.detail;
  }
}

/** What the library's message (a {@link PostdumpError}'s) adds to {@link describe}: advice in terms of its options. */
export function libraryAdvice(d: Diagnostic): string {
  switch (d.code) {
    case 'UNDECODABLE':
      return 'declared' in d.args
        ? "; name its encoding with the encoding option, e.g. encoding: 'big5'"
        : "; name the input's encoding with the encoding option";
    case 'PAGE_TOO_LARGE':
      return " (inputType: 'text' reads it as a text dump)";
    default:
      return '';
  }
}

/** `FILE:LINE` or `FILE:LINE-END` or `FILE`, or '' when the diagnostic is not about an input. */
export function location(d: Diagnostic): string {
  if (d.source === null) return '';
  if (d.line === null) return d.source;
  if (d.endLine === null || d.endLine === d.line) return `${d.source}:${d.line}`;
  return `${d.source}:${d.line}-${d.endLine}`;
}
