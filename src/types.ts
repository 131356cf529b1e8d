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
  /** 1-based line of the post's header in the decoded input. */
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

/** A key of the record. */
export type PostField = keyof Post;

/** How serious a diagnostic is: errors fail the run, warnings are shown, info is shown with `--verbose`. */
export type Severity = 'error' | 'warning' | 'info';

/** What a diagnostic is about. The words for each code live in one place (`describe`). */
export type DiagnosticCode =
  /** A line that starts like a header but does not parse; it stays excerpt text. */
  | 'BROKEN_HEADER'
  /** A header with no title line above it; it stays excerpt text. */
  | 'NO_TITLE'
  /** Page chrome or sidebar lines that belong to no post. */
  | 'SKIPPED_NOISE'
  /** A post of an HTML page without a title or a meta line that parses; it gives no record. */
  | 'SKIPPED_POST'
  /** How an HTML page was read: its layout and what it gave. */
  | 'HTML_PAGE'
  /** An input that holds text but no post. */
  | 'NO_POSTS'
  | 'EMPTY_INPUT'
  | 'BINARY_INPUT'
  | 'LINE_TOO_LONG'
  /** An HTML page (read whole) over the size limit. */
  | 'PAGE_TOO_LARGE'
  | 'UNDECODABLE'
  | 'INPUT_NOT_FOUND'
  | 'INPUT_IS_DIRECTORY'
  | 'INPUT_UNREADABLE'
  /** A folder without input files, or a glob that matches none. */
  | 'INPUT_NO_MATCH'
  | 'OUTPUT_EXISTS'
  | 'OUTPUT_IS_INPUT'
  | 'OUTPUT_UNWRITABLE'
  | 'USAGE';

/** A finding about the input or the run, as data. The CLI renders it as `postdump: warning: FILE:LINE: ...`. */
export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  /** Input path (`-` for stdin), or null when the diagnostic is not about one input. */
  source: string | null;
  /** 1-based first line concerned, or null. */
  line: number | null;
  /** Last line of a range (skipped noise), or null for a single line. */
  endLine: number | null;
  /** The specifics: the offending text, the reason, the path. */
  detail: string;
}
