export { formatCsv, formatJson, formatJsonLines, formatMarkdown, parse, parseStream } from './api.js';
export type { FormatterOptions, ParseOptions, ParseResult } from './api.js';
export { PostdumpError } from './errors.js';
export type { Diagnostic, DiagnosticCode, Post, PostField, Severity } from './types.js';
