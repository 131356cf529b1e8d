import type { Palette } from './color.js';
import { describe, location } from '../diagnostics.js';
import type { Diagnostic, Severity } from '../types.js';

export type Verbosity = 'quiet' | 'normal' | 'verbose';

export interface Reporter {
  /** Prints a diagnostic, if the verbosity shows it. */
  diagnostic(d: Diagnostic): void;
  /** Prints a line of information with `--verbose`. */
  note(text: string): void;
  /** Prints a line of information unless `--quiet`. */
  hint(text: string): void;
}

/**
 * Renders diagnostics as one line each on stderr: `postdump: warning: FILE:LINE: message`.
 * `--strict` shows warnings as the errors they have become; `-q` shows errors only; `-v` adds info.
 */
export function createReporter(write: (line: string) => void, color: Palette, verbosity: Verbosity, strict: boolean): Reporter {
  const label: Record<Severity, string> = {
    error: color.redBold('error'),
    warning: strict ? color.redBold('error') : color.yellowBold('warning'),
    info: color.cyan('info'),
  };
  const shown = (s: Severity): boolean => s === 'error' || (s === 'warning' && (strict || verbosity !== 'quiet')) || verbosity === 'verbose';
  return {
    diagnostic(d) {
      if (!shown(d.severity)) return;
      const where = location(d);
      write(`postdump: ${label[d.severity]}: ${where ? `${color.bold(where)}: ` : ''}${describe(d)}\n`);
    },
    note(text) {
      if (verbosity === 'verbose') write(`postdump: ${label.info}: ${text}\n`);
    },
    hint(text) {
      if (verbosity !== 'quiet') write(`postdump: ${label.info}: ${text}\n`);
    },
  };
}
