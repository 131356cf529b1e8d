import type { Command } from 'commander';
import { describe, hint } from '../diagnostics.js';
import { emptySummary, readPosts } from '../pipeline.js';
import type { Diagnostic } from '../types.js';
import { addInputOptions, count, filesNote, inputSettings, skippedAny, writeOutput, type InputFlags } from './common.js';
import type { CliContext } from './context.js';
import { inputFiles } from './inputs.js';
import { forTerminal } from './report.js';

interface CheckFlags extends InputFlags {
  json?: true;
}

const EXAMPLES = `
Examples:
  $ postdump check fixtures/seed.txt
  $ postdump check fixtures/variants/broken-headers.txt fixtures/variants/header-without-title.txt
  $ postdump check fixtures/variants -v
  $ postdump check 'fixtures/**/*.txt' --json | jq -r '.[] | select(.severity != "info") | "\\(.source):\\(.line) \\(.code)"'
  $ postdump check -q fixtures/seed.txt && echo clean

Exit status:
  0  clean: no warning and no error (skipped page noise alone is clean)
  1  something was found: a warning, an error, an input that could not be read
  2  a usage error: unknown flag, bad value`;

export function registerCheck(program: Command, context: CliContext): void {
  addInputOptions(
    program
      .command('check')
      .summary('report problems in inputs, with FILE:LINE and a hint (no records)')
      .description(
        'Read dumps and print their diagnostics on stdout, each with FILE:LINE and a short hint: broken headers, ' +
          'headers without a title, inputs without posts or that cannot be read; with -v also the skipped page noise. ' +
          'No records are written. -q prints nothing: the exit status tells.',
      )
      .argument('[inputs...]', 'text dumps, saved pages and archives: files, folders or quoted globs; none or - reads standard input')
      .option('--json', 'print every diagnostic (information included) as a JSON array, with message and hint'),
  )
    .addHelpText('after', EXAMPLES)
    .action(async (inputs: string[], flags: CheckFlags) => {
      const { read, exclude, strict, verbosity } = inputSettings(flags);
      const found: Diagnostic[] = [];
      const summary = emptySummary();
      const report = (d: Diagnostic): void => {
        found.push(d);
      };
      const files = await inputFiles(inputs, exclude, summary, report);
      for await (const _posts of readPosts(files, read, { ...context.io, report }, summary));
      const color = context.stdoutColor;
      if (flags.json) {
        await writeOutput(
          context.io.stdout,
          `${JSON.stringify(
            found.map((d) => ({ ...d, message: describe(d), hint: hint(d) })),
            null,
            2,
          )}\n`,
        );
      } else if (verbosity !== 'quiet') {
        const label = { error: color.redBold('error'), warning: strict ? color.redBold('error') : color.yellowBold('warning'), info: color.cyan('info') };
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
      context.fail(summary.errors + summary.warnings > 0);
    });
}
