/**
 * postdump's library: text dumps and saved HTML pages of kexue.fm (科学空间) post listings to post
 * records ({@link parse}, {@link parseStream}), and records to JSON, JSON Lines, CSV or Markdown
 * ({@link formatJson}, {@link formatJsonLines}, {@link formatCsv}, {@link formatMarkdown}).
 * It never writes to the console and never ends the process: findings come back as
 * {@link Diagnostic} data, and failures as a thrown {@link PostdumpError}.
 *
 * @packageDocumentation
 */
export { formatCsv, formatJson, formatJsonLines, formatMarkdown, parse, parseStream } from './api.js';
export type { CsvOptions, FormatterOptions, JsonOptions, MarkdownOptions, ParseOptions, ParseResult, ParseStreamOptions } from './api.js';
export { PostdumpError } from './errors.js';
export type { ExitCode } from './errors.js';
export type {
  BinaryFinding,
  Compressed,
  CorruptData,
  Diagnostic,
  DiagnosticArgs,
  DiagnosticCode,
  FeedFault,
  FlagFault,
  GzipDamage,
  HeaderFault,
  NotAPage,
  Post,
  PostField,
  PostFault,
  PostlessInput,
  RecordSkip,
  Severity,
  SkipReason,
  UsageProblem,
  WarcFault,
  XmlRoot,
} from './types.js';
