import { describe, diagnostic, libraryAdvice, location } from './diagnostics.js';
import type { Diagnostic, DiagnosticArgs, DiagnosticCode, FlagFault, UsageProblem } from './types.js';

/** Exit status: 1 for a data problem (unreadable or postless input), 2 for a usage error. */
export type ExitCode = 1 | 2;

/** What a failure ends: one input (the others are still read), or the whole run. */
export type FailureScope = 'input' | 'run';

/** The one error class for expected failures. It carries the finding as data and the exit status it maps to. */
export class PostdumpError extends Error {
  /** The failure as data: code, arguments, source and line (the words are `message`, with advice in terms of the library's options). */
  readonly diagnostic: Diagnostic;
  /** The CLI's exit status for it: 1 for a data problem, 2 for a usage error. */
  readonly exitCode: ExitCode;
  /** What it ends: the input it is about (the command line reads the others), or the whole run. */
  readonly scope: FailureScope;

  constructor(d: Diagnostic, exitCode: ExitCode = 1, scope: FailureScope = 'run') {
    const where = location(d);
    const words = describe(d) + libraryAdvice(d);
    super(where ? `${where}: ${words}` : words);
    this.name = 'PostdumpError';
    this.diagnostic = d;
    this.exitCode = exitCode;
    this.scope = scope;
  }
}

/** A failure of one input, which ends that input only; exit status 1. */
export function inputError<C extends DiagnosticCode>(code: C, source: string, args: DiagnosticArgs[C], line: number | null = null): PostdumpError {
  return new PostdumpError(diagnostic(code, 'error', source, args, line), 1, 'input');
}

/** A bad value given to the library; exit status 2. */
export function usageError(problem: UsageProblem): PostdumpError {
  return new PostdumpError(diagnostic('USAGE', 'error', null, problem), 2);
}

/** Command-line flags misused (how, with the flags and values at fault); exit status 2. */
export function flagError(fault: FlagFault): PostdumpError {
  return usageError({ problem: 'flags', ...fault });
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
