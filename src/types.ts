/** One post record. Every input (text dump or HTML page) gives this shape, keys in this order. */
export interface Post {
  /** Post title as shown on the page. */
  title: string;
  /** Author name, e.g. `苏剑林` or `Jianlin Su`. */
  author: string;
  /** Publication date, `YYYY-MM-DD`, always a real calendar date. */
  date: string;
  /** Reader count at scrape time, or null when the input does not show one. It grows over time: never use it as identity. */
  readers: number | null;
  /** The post text the page shows, paragraphs joined with `\n`, LaTeX and markup-looking text verbatim. */
  excerpt: string;
  /** The post's address when the input has it (HTML), else null. */
  url: string | null;
  /** The archive number from `/archives/NNNN`, else null. */
  id: number | null;
  /** Input path, or `-` for standard input. */
  source: string;
  /** 1-based line of the post's header in the decoded input (a saved page: of the post's element). */
  line: number;
  // Enrichment (SPEC §3): present where an input or a stage provides it, output when asked for with `--fields`.
  /** Series named in the title (`生成扩散模型漫谈(一):...` → `生成扩散模型漫谈`), or null. */
  series?: string | null;
  /** Part number within the series, or null. */
  part?: number | null;
  /** Categories of an article page (HTML). */
  categories?: string[];
  /** Tags of an article page (HTML). */
  tags?: string[];
}

/** A key of the record: a name for `fields` (formatters) and `--fields` (command line). */
export type PostField = keyof Post;

/**
 * How serious a diagnostic is. `error`: an input (or the run) failed, and the CLI exits 1;
 * `warning`: something looks wrong but the input was read (an error with `--strict`); `info`: a
 * note, such as skipped page noise (shown by the CLI with `--verbose`).
 */
export type Severity = 'error' | 'warning' | 'info';

/**
 * Why a line that starts like a post header does not parse: its shape, a missing or bad field
 * (with the text found).
 */
export type HeaderFault =
  | { fault: 'shape' }
  | { fault: 'no-author' }
  | { fault: 'date'; date: string }
  | { fault: 'no-readers' }
  | { fault: 'readers'; readers: string }
  | { fault: 'readers-too-large'; readers: string };

/** Why a post of a page, or an item of a feed, gives no record. */
export type PostFault =
  | { fault: 'no-title' }
  | { fault: 'no-meta' }
  /** A meta line (`span.submitted`) that is not a header (`header` null) or a broken one. */
  | { fault: 'meta'; meta: string; header: HeaderFault | null }
  | { fault: 'no-date' }
  | { fault: 'date'; date: string }
  | { fault: 'no-author' };

/** What makes an input binary: a NUL byte near its start (`nulAt`, its offset), or a binary format's signature (`format`, such as "a PNG image"). */
export type BinaryFinding = { nulAt: number } | { format: string };

/**
 * What a text that is not a page or a dump is: a robots.txt, a style sheet, a script, JSON data, an
 * XML document (by its `root` element: a sitemap, an SVG image, ...; null for another root), a named
 * pipe, socket or device met in a folder, or an archive's member that is no file: a `link` (to
 * `target`, null when unnamed) or an `entry` of another tar `type` (`Directory`, ...).
 */
export type NotAPage =
  | { kind: 'robots' | 'style-sheet' | 'script' | 'json' | 'special-file' }
  | { kind: 'xml'; root: XmlRoot | null }
  | { kind: 'link'; target: string | null }
  | { kind: 'entry'; type: string };

/** The root elements of the XML documents that {@link NotAPage} names: sitemaps, RDF, SVG, OPML, RSD. */
export type XmlRoot = 'urlset' | 'sitemapindex' | 'rdf:rdf' | 'svg' | 'opml' | 'rsd';

/** Where an input with text held no post. */
export type PostlessInput =
  | { in: 'text' }
  | { in: 'page-text' }
  | { in: 'listing' | 'article' }
  | { in: 'feed' }
  | { in: 'archive' }
  /** An MHTML snapshot without a page: its `parts` counted by `contentType` (null: none), as `ARCHIVE_RECORDS` counts them. */
  | { in: 'mhtml'; parts: { contentType: string | null; count: number }[] };

/** A bad value given to the library or the command line. */
export type UsageProblem =
  | { problem: 'unknown-encoding'; encoding: string }
  | { problem: 'refused-encoding'; encoding: string; reason: string }
  | { problem: 'unknown-input-type'; inputType: string; inputTypes: readonly string[] }
  /** A compressed file or an archive given to `parse()`, which reads plain text and pages only. */
  | { problem: 'needs-stream'; input: string; what: string }
  /** A command-line flag misused (see {@link FlagFault}). */
  | ({ problem: 'flags' } & FlagFault);

/**
 * How command-line flags are misused (CLI only), with the flags (as typed, `--top`) and values at
 * fault: convert given both `--out-dir` and `--merge`, `--merge -`, a `flag` of `--out-dir` only
 * with `--merge`, standard input with `--out-dir`, an `input` whose output would land outside
 * `outDir`, two `inputs` that would write one `output` (told `apart` by `--keep-ext`, which gives
 * them these `names`, by converting their folder, or by renaming one); an `output` whose extension
 * names none of the `formats`; a `flag` of one `format` only with another (`given`); `--since` after
 * `--until`; `--reverse` without `--sort` (its `keys`); a `value` that is not a whole number of `min`
 * or more, not a date, or empty text; an unknown `field` of `--fields` (not one of `fields`), or one
 * named twice.
 */
export type FlagFault =
  | { fault: 'both-outputs' | 'merge-to-stdout' | 'stdin-to-out-dir' }
  | { fault: 'out-dir-only'; flag: string }
  | { fault: 'outside-out-dir'; input: string; outDir: string }
  | { fault: 'same-output'; inputs: [string, string]; output: string; apart: { by: 'keep-ext'; names: [string, string] } | { by: 'folder' | 'rename' } }
  | { fault: 'unknown-format'; output: string; formats: readonly string[] }
  | { fault: 'format-only'; flag: string; format: string; given: string }
  | { fault: 'since-after-until'; since: string; until: string }
  | { fault: 'reverse-without-sort'; keys: readonly string[] }
  | { fault: 'not-a-number'; flag: string; value: string; min: number }
  | { fault: 'not-a-date'; flag: string; value: string }
  | { fault: 'empty-text'; flag: string }
  | { fault: 'unknown-field'; field: string; fields: readonly string[] }
  | { fault: 'field-twice'; field: string };

/** Compressed data: a file's gzip or brotli layer, or a page's HTTP `Content-Encoding` (`coding`: gzip, deflate, br). */
export type Compressed = { what: 'gzip' | 'brotli' } | { what: 'content-encoding'; coding: string };

/**
 * What is damaged (`CORRUPT_INPUT`'s args): `what` is damaged and the `fault`, with its figures;
 * `libraryMessage` is the decoding library's own words, passed through. A WARC record's fault (`what:
 * 'warc'`) has `resync` in a plain WARC, where the reader looks for the next record: `skipped`
 * bytes on, the record at `offset`, or null when none follows (the rest is not read). A gzip
 * member of a WARC (`what: 'warc-member'`) that is not gzip or is damaged ends the reading.
 */
export type CorruptData =
  | (Compressed & ({ fault: 'cut' } | { fault: 'corrupt'; libraryMessage: string }))
  | { what: 'http-chunks'; fault: 'damaged' }
  | { what: 'tar'; fault: 'damaged'; libraryMessage: string }
  | { what: 'mhtml'; fault: 'not-whole'; libraryMessage: string }
  | { what: 'layers'; fault: 'too-deep'; depth: number }
  | ({ what: 'feed'; open: 'item' | 'entry' | null } & FeedFault)
  | ({ what: 'warc-member' } & GzipDamage)
  | ({ what: 'warc'; resync?: { skipped: number; offset: number } | null } & WarcFault);

/**
 * Why a feed's XML stops being read (its line is the diagnostic's; `open`: the item or entry open
 * there, not read, or null): a DOCTYPE declaring entities, XML that is not well-formed (at
 * `column`; `libraryMessage`: saxes's words), or an element over `limit` bytes.
 */
export type FeedFault =
  | { fault: 'entities' }
  | { fault: 'not-well-formed'; column: number; libraryMessage: string }
  | { fault: 'element-too-long'; limit: number };

/** How a gzip member is damaged: not gzip, cut short, a header over 1 MiB, a CRC or length that does not match, or data zlib refuses (`libraryMessage`). */
export type GzipDamage = { fault: 'not-gzip' | 'cut' | 'header-too-long' | 'crc' | 'length' } | { fault: 'corrupt'; libraryMessage: string };

/**
 * How a WARC record is damaged: its WARC header (over 1 MiB, cut off, not a record's: it `start`s
 * so, or without a Content-Length: it says `length`), its HTTP header (over 1 MiB, cut off, not an
 * HTTP response's), or its length (its gzip member short, `member-short`, or the file `cut`, after
 * `got` of its `length` bytes; or the record not ending at its Content-Length, `wrong-length`).
 */
export type WarcFault =
  | { fault: 'header-too-long' | 'header-cut' | 'http-header-too-long' | 'http-header-cut' }
  | { fault: 'not-a-record' | 'not-http'; start: string }
  | { fault: 'no-length'; length: string }
  | { fault: 'member-short' | 'cut'; got: number; length: number }
  | { fault: 'wrong-length'; length: number };

/**
 * Why a WARC record is not read: a `revisit` (of `refersTo`, null when unnamed), a record of another
 * WARC `type` ('' when untyped) than response, a response that is not HTTP (its `contentType`), an
 * HTTP `status` other than 200, a `contentType` that is not a page, or a Content-Encoding not known.
 */
export type RecordSkip =
  | { kind: 'revisit'; refersTo: string | null }
  | { kind: 'not-response'; type: string }
  | { kind: 'not-http'; contentType: string }
  | { kind: 'status'; status: string }
  | { kind: 'not-a-page'; contentType: string }
  | { kind: 'encoding'; coding: string };

/** What a WARC's summary counts skipped records by: a {@link RecordSkip}'s kind, with the WARC type, status or coding it names. */
export type SkipReason =
  | { kind: 'revisit' | 'not-http' | 'not-a-page' }
  | { kind: 'not-response'; type: string }
  | { kind: 'status'; status: string }
  | { kind: 'encoding'; coding: string };

/**
 * Each diagnostic code and the arguments it carries: what a program or a script reads instead of
 * the words (`check --json` prints them as `args`). The words that describe a diagnostic may
 * change; its code and arguments are stable. {@link parse} reports the first eight in its
 * `diagnostics`; the library throws the next seven as a {@link PostdumpError}; {@link parseStream}
 * also reports the two about web archives; the rest come from the command line only.
 */
export interface DiagnosticArgs {
  /** A line that starts like a header but does not parse (`fault` says why); it stays excerpt text. Warning. */
  BROKEN_HEADER: HeaderFault;
  /** A header with no title line above it; it stays excerpt text. Warning. */
  NO_TITLE: Record<string, never>;
  /** Page chrome or sidebar lines that belong to no post: `line` to `endLine`; `lines` of them, the first starting `start`. Info. */
  SKIPPED_NOISE: { lines: number; start: string };
  /** A post of an HTML page (`of: 'post'`) or an item of a feed (`of: 'item'`), titled `title` ('' when it has none), that gives no record. Warning. */
  SKIPPED_POST: { of: 'post' | 'item'; title: string } & PostFault;
  /** How an HTML page was read: by kexue.fm's layout (`posts` read), or its visible text (`lines` of it) through the text parser. Info. */
  HTML_PAGE: { layout: 'listing' | 'article'; posts: number } | { layout: 'text'; lines: number };
  /** The renderer whose layout a text dump has (`lynx -dump`, `Markdown`, ...), when it is not a plain copy, and how many numbered links it had: its decoration is stripped. Info. */
  TEXT_LAYOUT: { layout: string; links: number };
  /** An input that holds text but no post. Error. */
  NO_POSTS: PostlessInput;
  /** An input that is empty or only white space. Error. */
  EMPTY_INPUT: Record<string, never>;
  /** An input with a NUL byte near its start, or a binary format's signature: not text. Thrown. */
  BINARY_INPUT: BinaryFinding;
  /**
   * Text that is not a page or a dump (`kind`: a robots.txt, a style sheet, JSON data, ...; see
   * {@link NotAPage}). Thrown for an input named; info for one met in an archive (or a folder),
   * which is skipped, as is binary data met there (`binary`).
   */
  NOT_A_PAGE: NotAPage | { binary: BinaryFinding };
  /** Compressed data or an archive that is cut short or damaged: `what` it is, the `fault`, and its figures (see {@link CorruptData}). Thrown, after the posts before the damage. */
  CORRUPT_INPUT: CorruptData;
  /** A line over the limit (`limit` bytes: `maxLineBytes`, 64 MiB by default). Thrown. */
  LINE_TOO_LONG: { limit: number };
  /** An HTML page (read whole) over its limits: `limit` bytes (16 MiB), or `limit` nodes (1,000,000: elements, attributes, texts, comments). Thrown. */
  PAGE_TOO_LARGE: { limit: number; of: 'bytes' | 'nodes' };
  /**
   * Bytes that are not valid in the encoding asked for (`encoding`, near byte `offset`; `exact`
   * when the offset is the first bad byte's), or that auto-detection cannot place (`encoding`
   * `'auto'`; `declared`: the charset the page declares, when it is another). Thrown.
   */
  UNDECODABLE: { encoding: 'auto'; declared: string | null } | { encoding: string; offset: number; exact: boolean };
  /** A bad value, such as an unknown encoding name (the CLI exits 2). Thrown. */
  USAGE: UsageProblem;
  /**
   * A web archive's record at `offset` (in the file, or `member+offset` in a gzip member that holds
   * several), of WARC type `type`, for `uri` (null without one): read (`outcome: 'read'`, as a page
   * of its HTTP `contentType`, null when it has none and its bytes tell), or skipped (`reason`);
   * `truncated`: the crawler's `WARC-Truncated` reason, or null. What `-v` lists. Info.
   */
  ARCHIVE_RECORD: { offset: string; type: string; uri: string | null; truncated: string | null } & (
    | { outcome: 'read'; contentType: string | null }
    | { outcome: 'skipped'; reason: RecordSkip }
  );
  /**
   * What an archive's records gave: a WARC's (`of: 'warc'`) `records`, `read`, `damaged`, and those
   * `skipped`, counted by reason in the order first met; an MHTML snapshot's (`of: 'mhtml'`) page
   * read, and its other `parts` counted by `contentType` (null: none). Info.
   */
  ARCHIVE_RECORDS:
    | { of: 'warc'; records: number; read: number; damaged: number; skipped: (SkipReason & { count: number })[] }
    | { of: 'mhtml'; parts: { contentType: string | null; count: number }[] };
  /** A named input that does not exist. CLI only. */
  INPUT_NOT_FOUND: Record<string, never>;
  /** A named input that is a folder where a file was expected. CLI only. */
  INPUT_IS_DIRECTORY: Record<string, never>;
  /** A named input that cannot be read (permissions, I/O error: `reason`). CLI only. */
  INPUT_UNREADABLE: { reason: string };
  /** A folder without input files, or a glob that matches none (`of`). CLI only. */
  INPUT_NO_MATCH: { of: 'folder' | 'pattern' };
  /** A file of a browser's `NAME_files/` folder beside `NAME.html` (`page`: that page), skipped. Info, CLI only. */
  PAGE_RESOURCE: { page: string };
  /** A file or folder that `--exclude` names (`pattern`), skipped. Info, CLI only. */
  EXCLUDED: { pattern: string };
  /** A hidden file or folder (a name that starts with `.`), skipped. Info, CLI only. */
  HIDDEN: Record<string, never>;
  /** A link to a folder (`to: 'folder'`), or to nothing (`to: 'nothing'`), met in a folder: not followed. Info, CLI only. */
  LINK_NOT_FOLLOWED: { to: 'folder' | 'nothing' };
  /** An input whose output (`output`) is up to date (`convert --skip-existing`, `--update`), skipped. Info, CLI only. */
  UP_TO_DATE: { output: string };
  /** An output file (`path`) that exists already (without `--force`). CLI only. */
  OUTPUT_EXISTS: { path: string };
  /** An output path (`path`) that reaches one of the inputs. CLI only. */
  OUTPUT_IS_INPUT: { path: string };
  /** An output (`path`) that cannot be written (`reason`). CLI only. */
  OUTPUT_UNWRITABLE: { path: string; reason: string };
  /** A symbolic link to a folder (`link`, to `target`) on the way to an output below `convert --out-dir`, not written through. CLI only. */
  OUTPUT_LINK: { link: string; target: string };
  /**
   * A run that would hold more than the memory it may use (`--sort`'s posts, `--dedupe`'s keys): what
   * needed it (`holder`) and the limit passed (`limit`, in bytes, of the heap or of the memory free at
   * the start), or the system refusing more (`held` bytes held), or a value larger than JavaScript
   * can hold (`tooLarge`: V8's words). CLI only.
   */
  OUT_OF_MEMORY: { holder: string; limit: number; of: 'heap' | 'free' } | { holder: string; held: number } | { tooLarge: string };
}

/** What a diagnostic is about: a stable name to test against (the words that describe it may change). */
export type DiagnosticCode = keyof DiagnosticArgs;

/** What every diagnostic has, whatever its code. */
interface DiagnosticFields {
  /** How serious it is. */
  severity: Severity;
  /** Input name (the `source` option, `-` for stdin), or null when the diagnostic is not about one input. */
  source: string | null;
  /** 1-based first line concerned, or null. */
  line: number | null;
  /** Last line of a range (skipped noise), or null for a single line. */
  endLine: number | null;
  /** The specifics in words (the offending text, the reason, the path; may be empty), rendered from `args`: for people; programs read `args`. */
  detail: string;
}

/**
 * A finding about an input or the run, as data: a `code` and the `args` typed for it. The command
 * line renders it as `postdump: warning: FILE:LINE: message`; a program can test `code`,
 * `severity` and `args`.
 *
 * @example
 * ```ts
 * const { diagnostics } = parse(text, { source: 'dump.txt' });
 * const badDates = diagnostics.flatMap((d) => (d.code === 'BROKEN_HEADER' && d.args.fault === 'date' ? [d.args.date] : []));
 * ```
 */
export type Diagnostic = { [C in DiagnosticCode]: { code: C } & DiagnosticFields & { args: DiagnosticArgs[C] } }[DiagnosticCode];
