import { describe, diagnostic, location } from './diagnostics.js';
import type { Diagnostic, DiagnosticCode } from './types.js';

/** Exit status: 1 for a data problem (unreadable or postless input), 2 for a usage error. */
export type ExitCode = 1 | 2;

/** The one error class for expected failures. It carries the finding as data and the exit status it maps to. */
export class PostdumpError extends Error {
  /** The failure as data: code, source, line and detail (the words are `message`). */
  readonly diagnostic: Diagnostic;
  /** The CLI's exit status for it: 1 for a data problem, 2 for a usage error. */
  readonly exitCode: ExitCode;

  constructor(d: Diagnostic, exitCode: ExitCode = 1) {
    const where = location(d);
    super(where ? `${where}: ${describe(d)}` : describe(d));
    this.name = 'PostdumpError';
    this.diagnostic = d;
    this.exitCode = exitCode;
  }
}

/** A failure about one input (or none, when `source` is null); exit status 1. */
export function inputError(code: DiagnosticCode, source: string | null, detail = '', line: number | null = null): PostdumpError {
  return new PostdumpError(diagnostic(code, 'error', source, detail, line));
}

/** A bad flag or value; exit status 2. */
export function usageError(message: string): PostdumpError {
  return new PostdumpError(diagnostic('USAGE', 'error', null, message), 2);
}

/** The reader of our output went away (`| head -1`): not a failure, the run just ends quietly. */
export class OutputClosedError extends Error {
  constructor() {
    super('output closed by the reader');
    this.name = 'OutputClosedError';
  }
}

/** The system's word for an I/O error code, for messages (`no space left on device`). */
export function systemReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOSPC':
      return 'no space left on device';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'a parent is not a directory';
    case 'EROFS':
      return 'read-only file system';
    case 'ENXIO':
      return 'no such device or address';
    default:
      return e instanceof Error ? e.message : String(e);
  }
}
