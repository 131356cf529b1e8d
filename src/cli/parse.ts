import type { Command } from 'commander';
import { usageError } from '../errors.js';
import type { Format } from '../format/index.js';
import { TABLE_FIELDS } from '../format/markdown.js';
import { POST_FIELDS } from '../record.js';
import { failed, run } from '../pipeline.js';
import { addInputOptions, chooseFormat, EXIT_CODES, formatOption, inputSettings, type InputFlags } from './common.js';
import type { CliContext } from './context.js';

interface ParseFlags extends InputFlags {
  format?: Format;
  output?: string;
  force?: true;
  compact?: true;
  excel?: true;
  table?: true;
}

const EXAMPLES = `
Examples:
  $ postdump parse fixtures/seed.txt
  $ postdump parse fixtures/seed.txt -f jsonl | jq -r 'select(.readers > 100000) | .title'
  $ postdump parse fixtures/seed.txt -f csv --excel -o posts.csv
  $ postdump parse fixtures/seed.txt -o posts.md --force
  $ cat fixtures/seed.txt | postdump parse - -f jsonl
  $ postdump parse fixtures/html/listing.html fixtures/html/article.html -f jsonl
  $ postdump parse fixtures/html/listing-gb18030.html -f md --table
  $ cat fixtures/html/listing.html | postdump parse --input-type html
${EXIT_CODES}`;

export function registerParse(program: Command, context: CliContext): void {
  addInputOptions(
    program
      .command('parse')
      .summary('text dumps and saved pages → JSON, JSON Lines, CSV or Markdown')
      .description('Parse text dumps and saved HTML pages of kexue.fm post listings into records. Several inputs are read in order into one output.')
      .argument('[inputs...]', 'text dumps or saved HTML pages; none or - reads standard input')
      .addOption(formatOption())
      .option('-o, --output <file>', 'write to FILE instead of stdout (atomically; refuses to overwrite an input)')
      .option('--force', 'overwrite an existing output file')
      .option('--compact', 'JSON on one line')
      .option('--excel', "CSV for Excel: UTF-8 BOM, CRLF, a ' before formula-like cells")
      .option('--table', 'Markdown as a GFM table'),
  )
    .addHelpText('after', EXAMPLES)
    .action(async (inputs: string[], flags: ParseFlags) => {
      // `-o -` is stdout, as in most tools.
      const output = flags.output === '-' ? undefined : flags.output;
      const format = chooseFormat(flags.format, output);
      for (const [flag, needs] of [['compact', 'json'], ['excel', 'csv'], ['table', 'md']] as const) {
        if (flags[flag] && format !== needs) throw usageError(`--${flag} applies to -f ${needs} output, not ${format}`);
      }
      const { read, strict, verbosity } = inputSettings(flags);
      const reporter = context.reporter(verbosity, strict);
      if (inputs.length === 0 && context.io.stdin.isTTY) reporter.hint('reading a dump from the terminal; end it with Ctrl-D (or name a file: postdump parse dump.txt)');
      const summary = await run(
        {
          inputs: inputs.length > 0 ? inputs : ['-'],
          read,
          format: {
            format,
            fields: flags.table ? TABLE_FIELDS : POST_FIELDS,
            compact: flags.compact === true,
            excel: flags.excel === true,
            table: flags.table === true,
          },
          output: output ?? null,
          force: flags.force === true,
          strict,
        },
        { ...context.io, report: reporter.diagnostic },
      );
      reporter.note(`${summary.posts} post${summary.posts === 1 ? '' : 's'}, ${summary.warnings} warning${summary.warnings === 1 ? '' : 's'}, ${summary.errors} error${summary.errors === 1 ? '' : 's'}`);
      context.fail(failed(summary, strict));
    });
}
