import { Buffer } from 'node:buffer';
import type { Command } from 'commander';
import { PostdumpError } from '../errors.js';
import { cleanName, UniqueNames } from '../output/file-names.js';
import { makeFolder, writeInFolder } from '../output/folder.js';
import { inputIdentities, run, Summary, type Consumer } from '../pipeline.js';
import { POST_FIELDS, toPost } from '../record.js';
import { count } from '../words.js';
import { exitStatuses } from './help.js';
import { addInputOptions, inputSettings, type InputFlags } from './input-flags.js';
import { addMessageOptions } from './message-flags.js';
import { reportInputs, runNote } from './run-notes.js';
import { addSelectOptions, selectOptions, type SelectFlags } from './select-flags.js';
import type { CliContext } from './context.js';
import { inputFiles } from './inputs.js';

interface SplitFlags extends InputFlags, SelectFlags {
  outDir: string;
  force?: true;
}

const EXAMPLES = `
Examples:
  $ postdump split dump.txt --out-dir notes
  $ postdump split dump.txt --out-dir notes --force --series 生成扩散模型漫谈
  $ postdump split dump.txt old-dump.txt --out-dir notes --force --dedupe --since 2022-01-01
  $ head -n 12 dump.txt | postdump split - --out-dir notes --force
${exitStatuses(['no post found', 'an input that could not be read', 'a note that could not be written or already exists', '--strict warnings'])}`;

export function registerSplit(program: Command, context: CliContext): void {
  const command = program
    .command('split')
    .usage('[inputs...] --out-dir DIR [options]')
    .summary('write one Markdown note per post, with YAML front matter')
    .description(
      'Write each post as a Markdown note in DIR (Obsidian, Hugo): YAML front matter (title, author, date, readers, url, id, ' +
        'series, part, tags), then the excerpt. Files are named DATE-TITLE.md, made safe for every system (no separator, ' +
        'no "..", no control or reserved character or name, at most 200 bytes) and unique (-2, -3 on a clash); ' +
        'nothing is written outside DIR. Each note is written atomically.',
    )
    .argument('[inputs...]', 'text dumps, saved pages and archives: files, folders or quoted globs; none or - reads standard input');
  addSelectOptions(addInputOptions(command), { fields: false })
    .optionsGroup('Output options:')
    .requiredOption('--out-dir <dir>', 'write the notes in DIR (made if need be)')
    .option('--force', 'overwrite existing notes');
  addMessageOptions(command, { report: true })
    .addHelpText('after', EXAMPLES)
    .action(async (inputs: string[], flags: SplitFlags) => {
      // Front matter shows the series (and needs a YAML library, loaded only here).
      const select = { ...selectOptions(flags, POST_FIELDS, true), countDuplicates: flags.dedupe !== true };
      const { read, exclude, strict, verbosity } = inputSettings(flags);
      const reporter = context.reporter(verbosity, strict);
      const { noteText } = await import('../format/front-matter.js');
      await makeFolder(flags.outDir);
      const summary = new Summary(reporter.diagnostic, { warningsFail: strict });
      const files = await inputFiles(inputs, exclude, summary);
      const target = { force: flags.force === true, inputs: await inputIdentities(files) };
      const names = new UniqueNames();
      let written = 0;
      const notes: Consumer = {
        async write(posts) {
          for (const raw of posts) {
            const post = toPost(raw);
            const name = names.name(cleanName(post.title, `${post.date}-`), '.md');
            try {
              await writeInFolder(flags.outDir, name, Buffer.from(noteText(post), 'utf8'), target);
              written++;
            } catch (e) {
              // One note that cannot be written is reported; the others are written all the same.
              if (!(e instanceof PostdumpError)) throw e;
              summary.report(e.diagnostic);
            }
          }
        },
        finish() {},
        abort() {},
      };
      await run({ inputs: files, read, select }, notes, { stdin: context.io.stdin, summary });
      reportInputs(reporter, summary);
      reporter.note(runNote(summary));
      reporter.hint(`wrote ${count(written, 'note')} in ${flags.outDir}`);
      context.fail(summary.failed);
    });
}
