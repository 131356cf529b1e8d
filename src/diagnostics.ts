import type { Diagnostic, DiagnosticCode, Severity } from './types.js';

/** Builds a diagnostic; `line` and `endLine` default to null. */
export function diagnostic(
  code: DiagnosticCode,
  severity: Severity,
  source: string | null,
  detail: string,
  line: number | null = null,
  endLine: number | null = null,
): Diagnostic {
  return { code, severity, source, line, endLine, detail };
}

/** The one place that turns a diagnostic into words (without the program name, severity or location). */
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
      return d.detail === ''
        ? 'no post found (a post is a title line followed by a "By <author> | <date> | <N>位读者" header)'
        : `no post found: ${d.detail}`;
    case 'EMPTY_INPUT':
      return 'input is empty';
    case 'BINARY_INPUT':
      return `binary input (${d.detail}), not a text dump`;
    case 'LINE_TOO_LONG':
      return `line longer than ${d.detail}; is this really a text dump?`;
    case 'PAGE_TOO_LARGE':
      return `HTML page larger than ${d.detail}, which is read whole; is this really a saved page? (--input-type text reads it as a text dump)`;
    case 'UNDECODABLE':
      return d.detail;
    case 'INPUT_NOT_FOUND':
      return 'no such file';
    case 'INPUT_IS_DIRECTORY':
      return 'is a directory, not a file';
    case 'INPUT_UNREADABLE':
      return `cannot read: ${d.detail}`;
    case 'OUTPUT_EXISTS':
      return `${d.detail} already exists (use --force to overwrite)`;
    case 'OUTPUT_IS_INPUT':
      return `${d.detail} is one of the inputs; refusing to overwrite it`;
    case 'OUTPUT_UNWRITABLE':
      return `cannot write ${d.detail}`;
    case 'USAGE':
      return d.detail;
  }
}

/** `FILE:LINE` or `FILE:LINE-END` or `FILE`, or '' when the diagnostic is not about an input. */
export function location(d: Diagnostic): string {
  if (d.source === null) return '';
  if (d.line === null) return d.source;
  if (d.endLine === null || d.endLine === d.line) return `${d.source}:${d.line}`;
  return `${d.source}:${d.line}-${d.endLine}`;
}
