import { Buffer } from 'node:buffer';
import type { Command } from 'commander';
import { PostdumpError } from '../errors.js';
import { cleanName, UniqueNames } from '../output/file-names.js';
import { makeFolder, writeInFolder } from '../output/folder.js';
import { emptySummary, failed, inputIdentities, selectPosts } from '../pipeline.js';
import { POST_FIELDS, toPost } from '../record.js';
import {
  addInputOptions,
  addSelectOptions,
  count,
  EXIT_CODES,
  inputSettings,
  reportInputs,
  runNote,
  selectOptions,
  type InputFlags,
  type SelectFlags,
} from './common.js';
import type { CliContext } from './context.js';
import { inputFiles } from './inputs.js';

interface SplitFlags extends InputFlags, SelectFlags {
  outDir: string;
  force?: true;
}

const EXAMPLES = `
Examples:
  $ postdump split fixtures/seed.txt --out-dir notes
  $ postdump split fixtures/seed.txt --out-dir notes --force --series 生成扩散模型漫谈
  $ postdump split fixtures/seed.txt fixtures/formats/tricky.txt --out-dir notes --force --dedupe --since 2022-01-01
  $ head -n 12 fixtures/seed.txt | postdump split - --out-dir notes --force
${EXIT_CODES}`;

export function registerSplit(program: Command, context: CliContext): void {
  const command = program
    .command('split')
    .summary('write one Markdown note per post, with YAML front matter')
    .description(
      'Write each post as a Markdown note in DIR (Obsidian, Hugo): YAML front matter (title, author, date, readers, url, id, ' +
        'series, part, tags), then the excerpt. Files are named DATE-TITLE.md, made safe for every system (no separator, ' +
        'no "..", no control or reserved character or name, at most 200 bytes) and unique (-2, -3 on a clash); ' +
        'nothing is written outside DIR. Each note is written atomically.',
    )
    .argument('[inputs...]', 'text dumps, saved pages and archives: files, folders or quoted globs; none or - reads standard input')
    .requiredOption('--out-dir <dir>', 'write the notes in DIR (made if need be)')
    .option('--force', 'overwrite existing notes');
  addSelectOptions(addInputOptions(command), { fields: false })
    .addHelpText('after', EXAMPLES)
    .action(async (inputs: string[], flags: SplitFlags) => {
      // Front matter needs the series, and a YAML library loaded only here.
      const select = { ...selectOptions(flags, [...POST_FIELDS, 'series', 'part']), countDuplicates: flags.dedupe !== true };
      const { read, exclude, strict, verbosity } = inputSettings(flags);
      const reporter = context.reporter(verbosity, strict);
      const { noteText } = await import('../format/front-matter.js');
      await makeFolder(flags.outDir);
      const summary = emptySummary();
      const files = await inputFiles(inputs, exclude, summary, reporter.diagnostic);
      const target = { force: flags.force === true, inputs: await inputIdentities(files) };
      const names = new UniqueNames();
      let written = 0;
      for await (const posts of selectPosts({ inputs: files, read, select }, { ...context.io, report: reporter.diagnostic }, summary)) {
        for (const raw of posts) {
          const post = toPost(raw);
          const name = names.name(cleanName(post.title, `${post.date}-`), '.md');
          try {
            await writeInFolder(flags.outDir, name, Buffer.from(noteText(post), 'utf8'), target);
            written++;
          } catch (e) {
            if (!(e instanceof PostdumpError)) throw e;
            summary.errors++;
            reporter.diagnostic(e.diagnostic);
          }
        }
      }
      reportInputs(reporter, summary);
      reporter.note(runNote(summary));
      reporter.hint(`wrote ${count(written, 'note')} in ${flags.outDir}`);
      context.fail(failed(summary, strict));
    });
}
