import type { Command } from 'commander';
import { location } from '../diagnostics.js';
import { DISCARD, run, Summary } from '../pipeline.js';
import { SELECT_ALL } from '../select.js';
import type { Diagnostic } from '../types.js';
import { count } from '../words.js';
import { exitStatuses } from './help.js';
import { addInputOptions, inputSettings, type InputFlags } from './input-flags.js';
import { addMessageOptions } from './message-flags.js';
import { filesNote, skippedAny } from './run-notes.js';
import { writeOutput } from './write-output.js';
import type { CliContext } from './context.js';
import { inputFiles } from './inputs.js';
import { cliMessage, hint } from './hints.js';
import { forTerminal, severityLabels } from './report.js';

interface CheckFlags extends InputFlags {
  json?: true;
}

const EXAMPLES = `
Examples:
  $ postdump check dump.txt
  $ postdump check dump.txt old-dump.txt
  $ postdump check pages/ -v
  $ postdump check 'pages/**/*.html' --json | jq -r '.[] | select(.severity != "info") | "\\(.location) \\(.code)"'
  $ postdump check -q dump.txt && echo clean
${exitStatuses(['a warning', 'an error', 'an input that could not be read'], {
  success: 'clean: no warning and no error (skipped page noise alone is clean)',
  failure: 'something was found',
})}`;

export function registerCheck(program: Command, context: CliContext): void {
  const command = program
    .command('check')
    .usage('[inputs...] [options]')
    .summary('report problems in inputs, with FILE:LINE and a hint (no records)')
    .description(
      'Read dumps and print their diagnostics on stdout, each with FILE:LINE and a short hint: broken headers, ' +
        'headers without a title, inputs without posts or that cannot be read; with -v also the skipped page noise. ' +
        'No records are written. -q prints nothing: the exit status tells.',
    )
    .argument('[inputs...]', 'text dumps, saved pages and archives: files, folders or quoted globs; none or - reads standard input');
  addInputOptions(command)
    .optionsGroup('Output options:')
    .option('--json', 'print every diagnostic (information included) as a JSON array, with its location, message and hint');
  addMessageOptions(command, { report: true })
    .addHelpText('after', EXAMPLES)
    .action(async (inputs: string[], flags: CheckFlags) => {
      const { read, exclude, strict, verbosity } = inputSettings(flags);
      const found: Diagnostic[] = [];
      // Anything found fails a check, warnings included.
      const summary = new Summary((d) => found.push(d), { warningsFail: true });
      const files = await inputFiles(inputs, exclude, summary);
      await run({ inputs: files, read, select: SELECT_ALL }, DISCARD, { stdin: context.io.stdin, summary });
      const color = context.stdoutColor;
      if (flags.json) {
        await writeOutput(
          context.io.stdout,
          `${JSON.stringify(
            // `line` stays null for a finding about a whole file (0 would be a line no editor has); `location` is
            // what a script prints: FILE:LINE, FILE:LINE-END or FILE, as the messages show it (unescaped).
            found.map((d) => ({ ...d, location: location(d) || null, message: cliMessage(d), hint: hint(d) })),
            null,
            2,
          )}\n`,
        );
      } else if (verbosity !== 'quiet') {
        const label = severityLabels(color, strict);
        const shown = found.filter((d) => d.severity !== 'info' || verbosity === 'verbose');
        const text = shown.map((d) => {
          const { where, message } = forTerminal(d);
          return `${where === '' ? '' : `${color.bold(where)}: `}${label[d.severity]}: ${message}\n  ${color.dim(`hint: ${hint(d)}`)}\n`;
        });
        await writeOutput(context.io.stdout, text.join(''));
      }
      const checked = skippedAny(summary.files) ? `${filesNote(summary.files)};` : `${count(files.length, 'input')}:`;
      context
        .reporter(verbosity, strict)
        .hint(`checked ${checked} ${count(summary.posts, 'post')}, ${count(summary.warnings, 'warning')}, ${count(summary.errors, 'error')}`);
      context.fail(summary.failed);
    });
}
