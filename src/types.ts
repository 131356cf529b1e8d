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
 * What a diagnostic is about: a stable name to test against (the words that describe it may
 * change). {@link parse} reports the first eight in its `diagnostics`; the library throws the
 * next seven as a {@link PostdumpError}; {@link parseStream} also reports the two about web
 * archives; the rest come from the command line only.
 */
export type DiagnosticCode =
  /** A line that starts like a header but does not parse (`detail` says why); it stays excerpt text. Warning. */
  | 'BROKEN_HEADER'
  /** A header with no title line above it; it stays excerpt text. Warning. */
  | 'NO_TITLE'
  /** Page chrome or sidebar lines that belong to no post: `line` to `endLine`. Info. */
  | 'SKIPPED_NOISE'
  /** A post of an HTML page without a title or a meta line that parses; it gives no record. Warning. */
  | 'SKIPPED_POST'
  /** How an HTML page was read: its layout and what it gave. Info. */
  | 'HTML_PAGE'
  /** The renderer whose layout a text dump has (`lynx -dump`, `Markdown`, ...), when it is not a plain copy: its decoration is stripped. Info. */
  | 'TEXT_LAYOUT'
  /** An input that holds text but no post. Error. */
  | 'NO_POSTS'
  /** An input that is empty or only white space. Error. */
  | 'EMPTY_INPUT'
  /** An input with a NUL byte near its start, or an image's, a font's or another binary format's signature: not text. Thrown. */
  | 'BINARY_INPUT'
  /**
   * Text that is not a page or a dump: a robots.txt, a sitemap, a style sheet, a script, JSON.
   * Thrown for an input named; info for one met in an archive (or a folder), which is skipped.
   */
  | 'NOT_A_PAGE'
  /** Compressed data or an archive that is cut short or damaged. Thrown, after the posts before the damage. */
  | 'CORRUPT_INPUT'
  /** A line over the limit (`maxLineBytes`, 64 MiB by default). Thrown. */
  | 'LINE_TOO_LONG'
  /** An HTML page (read whole) over its limits: 16 MiB, or 1,000,000 nodes (elements, attributes, texts, comments). Thrown. */
  | 'PAGE_TOO_LARGE'
  /** Bytes that are not valid in the encoding asked for, or that auto-detection cannot place. Thrown. */
  | 'UNDECODABLE'
  /** A bad value, such as an unknown encoding name (the CLI exits 2). Thrown. */
  | 'USAGE'
  /** A web archive's record, read or skipped (`detail` says which, why, and its address): what `-v` lists. Info. */
  | 'ARCHIVE_RECORD'
  /** What a web archive's records gave, counted by reason. Info. */
  | 'ARCHIVE_RECORDS'
  /** A named input that does not exist. CLI only. */
  | 'INPUT_NOT_FOUND'
  /** A named input that is a folder where a file was expected. CLI only. */
  | 'INPUT_IS_DIRECTORY'
  /** A named input that cannot be read (permissions, I/O error). CLI only. */
  | 'INPUT_UNREADABLE'
  /** A folder without input files, or a glob that matches none. CLI only. */
  | 'INPUT_NO_MATCH'
  /** A file of a browser's `NAME_files/` folder beside `NAME.html` (`detail`: that page), skipped. Info, CLI only. */
  | 'PAGE_RESOURCE'
  /** A file or folder that `--exclude` names (`detail`: the pattern), skipped. Info, CLI only. */
  | 'EXCLUDED'
  /** A hidden file or folder (a name that starts with `.`), skipped. Info, CLI only. */
  | 'HIDDEN'
  /** A link to a folder, or to nothing, met in a folder: not followed. Info, CLI only. */
  | 'LINK_NOT_FOLLOWED'
  /** An input whose output is up to date (`convert --skip-existing`, `--update`; `detail`: the output), skipped. Info, CLI only. */
  | 'UP_TO_DATE'
  /** An output file that exists already (without `--force`). CLI only. */
  | 'OUTPUT_EXISTS'
  /** An output path that reaches one of the inputs. CLI only. */
  | 'OUTPUT_IS_INPUT'
  /** An output that cannot be written. CLI only. */
  | 'OUTPUT_UNWRITABLE'
  /** A symbolic link to a folder on the way to an output below `convert --out-dir`, not written through. CLI only. */
  | 'OUTPUT_LINK'
  /** A run that would hold more than the memory it may use (`--sort`'s posts, `--dedupe`'s keys). CLI only. */
  | 'OUT_OF_MEMORY';

/**
 * A finding about an input or the run, as data. The command line renders it as
 * `postdump: warning: FILE:LINE: message`; a program can test `code` and `severity`.
 *
 * @example
 * ```ts
 * const { diagnostics } = parse(text, { source: 'dump.txt' });
 * const broken = diagnostics.filter((d) => d.code === 'BROKEN_HEADER').map((d) => d.line);
 * ```
 */
export interface Diagnostic {
  /** What it is about. */
  code: DiagnosticCode;
  /** How serious it is. */
  severity: Severity;
  /** Input name (the `source` option, `-` for stdin), or null when the diagnostic is not about one input. */
  source: string | null;
  /** 1-based first line concerned, or null. */
  line: number | null;
  /** Last line of a range (skipped noise), or null for a single line. */
  endLine: number | null;
  /** The specifics: the offending text, the reason, the path; may be empty. */
  detail: string;
}
