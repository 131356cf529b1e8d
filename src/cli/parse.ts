import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { segmentJob } from '../input/segments.js';
import { recordWriter, run, Summary } from '../pipeline.js';
import { addFormatOptions, formatSettings, type FormatFlags } from './format-flags.js';
import { exitStatuses } from './help.js';
import { addInputOptions, inputSettings, type InputFlags } from './input-flags.js';
import { addMessageOptions } from './message-flags.js';
import { reportInputs, runNote } from './run-notes.js';
import { addSelectOptions, selectOptions, wholeNumber, type SelectFlags } from './select-flags.js';
import type { CliContext } from './context.js';
import { inputFiles } from './inputs.js';

interface ParseFlags extends InputFlags, FormatFlags, SelectFlags {
  output?: string;
  force?: true;
  jobs?: string;
}

const EXAMPLES = `
Examples:
  $ postdump parse dump.txt
  $ postdump parse dump.txt -f jsonl | jq -r 'select(.readers > 100000) | .title'
  $ postdump parse dump.txt -f csv --excel -o posts.csv
  $ postdump parse dump.txt -o posts.md --force
  $ cat dump.txt | postdump parse - -f jsonl
  $ postdump parse pages/listing.html pages/article.html -f jsonl
  $ postdump parse pages/ -f md --table
  $ cat pages/listing.html | postdump parse --input-type html
  $ postdump parse crawl.warc.gz -f jsonl -v
  $ postdump parse feed.rss article.mhtml -f csv
  $ postdump parse dump.txt --since 2021-06-01 --sort readers --reverse --limit 3 -f md --table
  $ postdump parse dump.txt --fields title,series,part,readers -f csv
  $ postdump parse dump.txt --grep Attention --fields title,date -f jsonl
${exitStatuses(['no post found', 'an input that could not be read', 'an -o file that could not be written or already exists', '--strict warnings'])}`;

export function registerParse(program: Command, context: CliContext): void {
  const command = program
    .command('parse')
    .usage('[inputs...] [options]')
    .summary('parse dumps and saved pages into JSON, JSON Lines, CSV or Markdown')
    .description(
      'Parse text dumps, saved HTML pages, web archives (WARC), MHTML snapshots and RSS/Atom feeds of kexue.fm into records. ' +
        'Several inputs are read in order into one output; a folder gives the files in it that postdump reads, whatever their names, the others skipped and counted.',
    )
    .argument(
      '[inputs...]',
      'text dumps, saved pages, .warc(.gz), .mhtml or feeds, also gzipped or in tar: files, folders or quoted globs; none or - reads standard input',
    );
  addSelectOptions(addInputOptions(command), { fields: true })
    .optionsGroup('Output options:')
    .option('-o, --output <file>', 'write to FILE instead of standard output (atomically; never over an input)')
    .option(
      '--jobs <n>',
      'parse on N threads, this one included (default: the number of cores); only one text dump of more than ' +
        '64 MiB read from a file into JSON, JSON Lines, CSV or Markdown without --sort, --dedupe or --limit is parsed in segments on threads, ' +
        'with the output of one thread; 1 parses on one thread',
    )
    .option('--force', 'overwrite an existing output file');
  addMessageOptions(addFormatOptions(command), { report: true })
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
      const jobs = flags.jobs === undefined ? null : wholeNumber('--jobs', flags.jobs, 1);
      if (jobs !== null && jobs > availableParallelism()) reporter.note(`--jobs ${jobs} lowered to ${availableParallelism()}: at most one thread per core`);
      const summary = new Summary(reporter.diagnostic, { warningsFail: strict });
      const files = await inputFiles(inputs, exclude, summary);
      const options = { inputs: files, read, select, format, output: output ?? null, force: flags.force === true, strict };
      const writer = await recordWriter(options, context.io.stdout);
      const io = { stdin: context.io.stdin, summary };
      // A large dump may be parsed on threads: their modules are loaded only then.
      const job = jobs === 1 ? null : segmentJob(options, writer.format);
      const segmented = job === null ? null : await (await import('./segment-pool.js')).runSegmented(job, writer, io, { jobs });
      if (segmented === null) await run(options, writer, io);
      reportInputs(reporter, summary);
      reporter.note(runNote(summary));
      context.fail(summary.failed);
    });
}
