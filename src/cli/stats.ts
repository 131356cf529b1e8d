import type { Command } from 'commander';
import { renderStats } from '../format/stats.js';
import { run, Summary, type Consumer } from '../pipeline.js';
import { POST_FIELDS } from '../record.js';
import { StatsCollector } from '../stats.js';
import { exitStatuses } from './help.js';
import { addInputOptions, inputSettings, type InputFlags } from './input-flags.js';
import { addMessageOptions } from './message-flags.js';
import { reportInputs, runNote } from './run-notes.js';
import { addSelectOptions, selectOptions, wholeNumber, type SelectFlags } from './select-flags.js';
import { writeOutput } from './write-output.js';
import type { CliContext } from './context.js';
import { inputFiles } from './inputs.js';

interface StatsFlags extends InputFlags, SelectFlags {
  json?: true;
  top: string;
}

const EXAMPLES = `
Examples:
  $ postdump stats dump.txt
  $ postdump stats dump.txt --since 2022-01-01 --top 3
  $ postdump stats dump.txt old-dump.txt --dedupe
  $ postdump stats dump.txt --json | jq '.readers.median'
  $ postdump stats pages/
${exitStatuses(['no post found', 'an input that could not be read', '--strict warnings'])}`;

/** The longest bar of the chart, in characters. */
const CHART_WIDTH = 40;

export function registerStats(program: Command, context: CliContext): void {
  const command = program
    .command('stats')
    .usage('[inputs...] [options]')
    .summary('summarise posts: count, dates, authors, readers, posts per year, series')
    .description(
      'Summarise dumps: number of posts, date range, authors, readers (total, median, most read), posts per year as a bar chart, ' +
        'and series with their parts. Selection flags choose the posts it counts.',
    )
    .argument('[inputs...]', 'text dumps, saved pages and archives: files, folders or quoted globs; none or - reads standard input');
  addSelectOptions(addInputOptions(command), { fields: false })
    .optionsGroup('Output options:')
    .option('--json', 'print the statistics as JSON')
    .option('--top <n>', 'list the N most read posts', '5');
  addMessageOptions(command, { report: true })
    .addHelpText('after', EXAMPLES)
    .action(async (inputs: string[], flags: StatsFlags) => {
      const top = wholeNumber('--top', flags.top, 1);
      // Series are counted, so they are computed.
      const select = { ...selectOptions(flags, POST_FIELDS, true), countDuplicates: flags.dedupe !== true };
      const { read, exclude, strict, verbosity } = inputSettings(flags);
      const reporter = context.reporter(verbosity, strict);
      const summary = new Summary(reporter.diagnostic, { warningsFail: strict });
      const files = await inputFiles(inputs, exclude, summary);
      const collector = new StatsCollector(top);
      const color = context.stdoutColor;
      const statistics: Consumer = {
        write: (posts) => collector.add(posts),
        finish: async () => {
          const stats = collector.result();
          await writeOutput(
            context.io.stdout,
            flags.json ? `${JSON.stringify(stats, null, 2)}\n` : renderStats(stats, { color, blocks: color.level > 0, width: CHART_WIDTH }),
          );
        },
        abort() {},
      };
      await run({ inputs: files, read, select }, statistics, { stdin: context.io.stdin, summary });
      reportInputs(reporter, summary);
      reporter.note(runNote(summary));
      context.fail(summary.failed);
    });
}
