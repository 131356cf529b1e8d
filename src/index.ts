export type { Diagnostic, DiagnosticCode, Post, PostField, Severity } from './types.js';
export { PostdumpError } from './errors.js';
