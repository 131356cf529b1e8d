import type { Command } from 'commander';
import { emptySummary, failed, run } from '../pipeline.js';
import {
  addFormatOptions,
  addInputOptions,
  addSelectOptions,
  EXIT_CODES,
  formatSettings,
  inputSettings,
  reportInputs,
  runNote,
  selectOptions,
  type FormatFlags,
  type InputFlags,
  type SelectFlags,
} from './common.js';
import type { CliContext } from './context.js';
import { inputFiles } from './inputs.js';

interface ParseFlags extends InputFlags, FormatFlags, SelectFlags {
  output?: string;
  force?: true;
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
  $ postdump parse fixtures/archives/crawl.warc.gz -f jsonl -v
  $ postdump parse fixtures/archives/feed.rss fixtures/archives/article.mhtml -f csv
  $ postdump parse fixtures/seed.txt --since 2021-06-01 --sort readers --reverse --limit 3 -f md --table
  $ postdump parse fixtures/seed.txt --fields title,series,part,readers -f csv
  $ postdump parse fixtures/seed.txt --grep Attention --fields title,date -f jsonl
${EXIT_CODES}`;

export function registerParse(program: Command, context: CliContext): void {
  const command = program
    .command('parse')
    .summary('parse dumps and saved pages into JSON, JSON Lines, CSV or Markdown')
    .description(
      'Parse text dumps, saved HTML pages, web archives (WARC), MHTML snapshots and RSS/Atom feeds of kexue.fm into records. ' +
        'Several inputs are read in order into one output; a folder gives the files in it that postdump reads, whatever their names, the others skipped and counted.',
    )
    .argument(
      '[inputs...]',
      'text dumps, saved pages, .warc(.gz), .mhtml or feeds, also gzipped or in tar: files, folders or quoted globs; none or - reads standard input',
    )
    .option('-o, --output <file>', 'write to FILE instead of standard output (atomically; never over an input)')
    .option('--force', 'overwrite an existing output file');
  addSelectOptions(addInputOptions(addFormatOptions(command)), { fields: true })
    .addHelpText('after', EXAMPLES)
    .action(async (inputs: string[], flags: ParseFlags) => {
      // `-o -` is stdout, as in most tools.
      const output = flags.output === '-' ? undefined : flags.output;
      const { format, fields } = formatSettings(flags, output);
      const select = selectOptions(flags, fields);
      const { read, exclude, strict, verbosity } = inputSettings(flags);
      const reporter = context.reporter(verbosity, strict);
      if (inputs.length === 0 && context.io.stdin.isTTY)
        reporter.hint('reading a dump from the terminal; end it with Ctrl-D (or name a file: postdump parse dump.txt)');
      const found = emptySummary();
      const files = await inputFiles(inputs, exclude, found, reporter.diagnostic);
      const summary = await run(
        { inputs: files, read, select, format, output: output ?? null, force: flags.force === true, strict },
        { ...context.io, report: reporter.diagnostic },
        undefined,
        found,
      );
      reportInputs(reporter, summary);
      reporter.note(runNote(summary));
      context.fail(failed(summary, strict));
    });
}
