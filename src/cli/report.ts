import type { Palette } from './color.js';
import { cliMessage } from './hints.js';
import { diagnostic, location } from '../diagnostics.js';
import { printable, quotedName } from '../format/printable.js';
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
  const label = severityLabels(color, strict);
  const shown = (s: Severity): boolean => s === 'error' || (s === 'warning' && (strict || verbosity !== 'quiet')) || verbosity === 'verbose';
  return {
    diagnostic(d) {
      if (!shown(d.severity)) return;
      const { where, message } = forTerminal(d);
      write(`postdump: ${label[d.severity]}: ${where ? `${color.bold(where)}: ` : ''}${message}\n`);
    },
    note(text) {
      if (verbosity === 'verbose') write(`postdump: ${label.info}: ${printable(text)}\n`);
    },
    hint(text) {
      if (verbosity !== 'quiet') write(`postdump: ${label.info}: ${printable(text)}\n`);
    },
  };
}

/** Each severity's word as printed, coloured: `--strict` shows warnings as the errors they have become. */
export function severityLabels(color: Palette, strict: boolean): Record<Severity, string> {
  return {
    error: color.redBold('error'),
    warning: strict ? color.redBold('error') : color.yellowBold('warning'),
    info: color.cyan('info'),
  };
}

/**
 * A diagnostic's `FILE:LINE` and words as a terminal is given them: a file name that needs escapes
 * quoted, anything else from the input escaped (see `printable`), so that nothing in an input can
 * drive the terminal or forge a line.
 */
export function forTerminal(d: Diagnostic): { where: string; message: string } {
  const where = location({ ...d, source: d.source === null ? null : quotedName(d.source) });
  // These details are a path, whole.
  const quoted = d.code === 'OUTPUT_EXISTS' || d.code === 'OUTPUT_IS_INPUT' ? diagnostic(d.code, d.severity, d.source, { path: quotedName(d.args.path) }) : d;
  return { where, message: printable(cliMessage(quoted)) };
}
