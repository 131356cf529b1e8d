import type { Command } from 'commander';
import { renderStats } from '../format/stats.js';
import { emptySummary, failed, selectPosts } from '../pipeline.js';
import { POST_FIELDS } from '../record.js';
import { StatsCollector } from '../stats.js';
import {
  addInputOptions,
  addSelectOptions,
  EXIT_CODES,
  inputSettings,
  reportInputs,
  runNote,
  selectOptions,
  wholeNumber,
  writeOutput,
  type InputFlags,
  type SelectFlags,
} from './common.js';
import type { CliContext } from './context.js';
import { inputFiles } from './inputs.js';

interface StatsFlags extends InputFlags, SelectFlags {
  json?: true;
  top: string;
}

const EXAMPLES = `
Examples:
  $ postdump stats fixtures/seed.txt
  $ postdump stats fixtures/seed.txt --since 2022-01-01 --top 3
  $ postdump stats fixtures/seed.txt fixtures/formats/tricky.txt --dedupe
  $ postdump stats fixtures/seed.txt --json | jq '.readers.median'
  $ postdump stats fixtures/commands/tree
${EXIT_CODES}`;

/** The longest bar of the chart, in characters. */
const CHART_WIDTH = 40;

export function registerStats(program: Command, context: CliContext): void {
  const command = program
    .command('stats')
    .summary('summarise posts: count, dates, authors, readers, posts per year, series')
    .description(
      'Summarise dumps: number of posts, date range, authors, readers (total, median, most read), posts per year as a bar chart, ' +
        'and series with their parts. Selection flags choose the posts it counts.',
    )
    .argument('[inputs...]', 'text dumps, saved pages and archives: files, folders or quoted globs; none or - reads standard input')
    .option('--json', 'print the statistics as JSON')
    .option('--top <n>', 'list the N most read posts', '5');
  addSelectOptions(addInputOptions(command), { fields: false })
    .addHelpText('after', EXAMPLES)
    .action(async (inputs: string[], flags: StatsFlags) => {
      const top = wholeNumber('--top', flags.top, 1);
      // Series are counted, so they are computed.
      const select = { ...selectOptions(flags, [...POST_FIELDS, 'series', 'part']), countDuplicates: flags.dedupe !== true };
      const { read, exclude, strict, verbosity } = inputSettings(flags);
      const reporter = context.reporter(verbosity, strict);
      const summary = emptySummary();
      const files = await inputFiles(inputs, exclude, summary, reporter.diagnostic);
      const collector = new StatsCollector(top);
      for await (const posts of selectPosts({ inputs: files, read, select }, { ...context.io, report: reporter.diagnostic }, summary)) collector.add(posts);
      reportInputs(reporter, summary);
      reporter.note(runNote(summary));
      context.fail(failed(summary, strict));
      // Inputs without a single post give no statistics, as parse gives no records.
      if (summary.posts === 0) return;
      const stats = collector.result();
      const color = context.stdoutColor;
      await writeOutput(
        context.io.stdout,
        flags.json ? `${JSON.stringify(stats, null, 2)}\n` : renderStats(stats, { color, blocks: color.level > 0, width: CHART_WIDTH }),
      );
    });
}
