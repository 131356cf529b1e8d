import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, parse as parsePath, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { Option, type Command } from 'commander';
import { diagnostic } from '../diagnostics.js';
import { flagError, PostdumpError } from '../errors.js';
import type { Format } from '../format/index.js';
import { expandInputs, type InputFile } from '../input/expand.js';
import { inputCount } from '../input/file-tally.js';
import { PAGE_MEMORY_BYTES } from '../input/html-tree.js';
import { LAYERS, namedAsText } from '../input/kinds.js';
import { skipOf, type ReadOptions } from '../input/read-by-kind.js';
import { pathLike, readInput } from '../input/read.js';
import { linkOnTheWay, makeFolder } from '../output/folder.js';
import { removeTemporariesOf } from '../output/temporary.js';
import type { ProgressBar } from '../output/progress.js';
import { inputIdentities, readPosts, recordWriter, run, Summary, type FileIdentity, type IO, type Options, type PostSource } from '../pipeline.js';
import type { Diagnostic, FlagFault } from '../types.js';
import { count } from '../words.js';
import { addFormatOptions, formatSettings, type FormatFlags } from './format-flags.js';
import { exitStatuses } from './help.js';
import { addInputOptions, inputSettings, type InputFlags } from './input-flags.js';
import { addMessageOptions } from './message-flags.js';
import { duplicatesNote, filesNote, runNote, skippedAny } from './run-notes.js';
import { addSelectOptions, selectOptions, wholeNumber, type SelectFlags } from './select-flags.js';
import type { CliContext } from './context.js';
import type { Task, TaskMessage } from './convert-tasks.js';

interface ConvertFlags extends InputFlags, FormatFlags, SelectFlags {
  outDir?: string;
  merge?: string;
  jobs?: string;
  force?: true;
  skipExisting?: true;
  update?: true;
  keepExt?: true;
  /** False with --no-progress. */
  progress: boolean;
  writeThroughLinks?: true;
}

const EXAMPLES = `
Examples:
  $ postdump convert pages/ --out-dir out -f jsonl
  $ postdump convert 'pages/**/*.html' --out-dir out -f md --force
  $ postdump convert dump.txt old-dump.txt --out-dir out -f csv --excel --force --jobs 2
  $ postdump convert dump.txt pages/ --merge all.jsonl --dedupe --sort date --force
  $ postdump convert pages/ --out-dir out -f csv --force --fields title,date,series,part --since 2021-06-01
  $ postdump convert pages/ --out-dir out --update --exclude 'drafts/'
  $ postdump convert pages/ dump.txt --out-dir out --keep-ext --force
${exitStatuses([
  'no post found',
  'an input that could not be read (the others are converted all the same)',
  'an output that could not be written or already exists',
  '--strict warnings',
])}`;

const EXTENSIONS: Record<Format, string> = { json: '.json', jsonl: '.jsonl', csv: '.csv', md: '.md' };
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export function registerConvert(program: Command, context: CliContext): void {
  const command = program
    .command('convert')
    .usage('<inputs...> (--out-dir DIR | --merge FILE) [options]')
    .summary('convert many inputs: one output each (folder structure kept), or one merged file')
    .description(
      'Convert files, folders (recursively) and quoted globs. A folder gives the files in it that are text dumps or pages, ' +
        'whatever their names (wget mirrors name pages without an extension, or index.html?paged=2); robots.txt, sitemaps, ' +
        "styles, scripts, images, a browser's NAME_files/ folders, hidden files and what --exclude names are skipped and " +
        'counted in the summary (-v lists them). Each input gets its own output in --out-dir, at the same place relative to ' +
        "the folder or glob it came from, with the format's extension (a.txt.gz → a.json, archives/11416 → " +
        'archives/11416.json, index.html?paged=2 → index-paged=2.json; an archive gives one output with all its members); ' +
        '--merge FILE writes every record into one file instead. Inputs are converted in parallel (--jobs), with results ' +
        'reported in input order. A failing input is reported by name and the others still convert (exit 1). Outputs are ' +
        'written atomically; nothing goes to stdout; a progress bar and a summary go to stderr.',
    )
    .argument('<inputs...>', 'text dumps, saved pages and archives: files, folders or quoted globs; - reads standard input (with --merge)');
  addSelectOptions(addInputOptions(command), { fields: true })
    .optionsGroup('Output options:')
    .option('--out-dir <dir>', 'write one output per input below DIR (made if need be)')
    .option('--merge <file>', 'write every record into FILE instead (format from its extension unless -f)')
    .option(
      '--jobs <n>',
      `convert on N threads, this one included (default: the number of cores, here ${availableParallelism()}, fewer for fewer than 256 inputs a thread; with --merge, 1 when every input is ` +
        'named as a text dump, .txt or .md, since text dumps parse faster than their posts can be handed between threads); at most ' +
        `the number of cores, and no more than the free memory holds pages being read at once (${PAGE_MEMORY_BYTES / (1024 * 1024)} MiB each)`,
    )
    .addOption(new Option('--force', 'overwrite existing output files').conflicts(['skipExisting', 'update']))
    .addOption(new Option('--skip-existing', 'with --out-dir: convert only the inputs whose output does not exist yet').conflicts('update'))
    .option('--update', 'with --out-dir: convert only the inputs whose output does not exist or is older than the input (as rsync --update)')
    .option(
      '--keep-ext',
      "with --out-dir: keep each input's extension in its output's name (a.html → a.html.json), so that a.html and a.txt of one folder do not clash",
    )
    .option('--write-through-links', 'write through symbolic links to folders inside --out-dir (refused without it: they may lead outside)');
  addMessageOptions(addFormatOptions(command, '--merge'), { report: true, progress: true })
    .addHelpText('after', EXAMPLES)
    .action(async (inputs: string[], flags: ConvertFlags) => {
      if (flags.outDir !== undefined && flags.merge !== undefined) throw flagError({ fault: 'both-outputs' });
      // As an argument missing is: followed by the usage line.
      if (flags.outDir === undefined && flags.merge === undefined)
        command.error('convert needs --out-dir DIR (one output per input) or --merge FILE (one file of every record)', {
          exitCode: 2,
          code: 'commander.missingMandatoryOptionValue',
        });
      if (flags.merge === '-') throw flagError({ fault: 'merge-to-stdout' });
      if (flags.merge !== undefined && (flags.skipExisting || flags.update || flags.keepExt))
        throw flagError({ fault: 'out-dir-only', flag: flags.update ? '--update' : flags.skipExisting ? '--skip-existing' : '--keep-ext' });
      const { format, fields } = formatSettings(flags, flags.merge);
      const select = { ...selectOptions(flags, fields), countDuplicates: flags.merge !== undefined && flags.dedupe !== true };
      const asked = flags.jobs === undefined ? null : wholeNumber('--jobs', flags.jobs, 1);
      const { read, exclude, strict, verbosity } = inputSettings(flags);
      const base: Omit<Options, 'inputs' | 'output'> = { read, select, format, force: flags.force === true, strict };
      const started = performance.now();

      const entries = await expandInputs(inputs, { exclude });
      const found = entries.flatMap((e) => ('file' in e ? [e.file] : []));
      const { outputs, skipped } =
        flags.outDir === undefined
          ? { outputs: [], skipped: new Map<number, Diagnostic>() }
          : await outputPaths(found, flags.outDir, { extension: EXTENSIONS[format.format], keepExt: flags.keepExt === true }, read);
      if (flags.outDir !== undefined) {
        if (flags.writeThroughLinks !== true) refuseLinks(flags.outDir, found);
        await makeFolder(flags.outDir);
      }
      // What is up to date needs no task (--skip-existing, --update); an outdated output is replaced.
      const fresh = flags.skipExisting || flags.update ? await upToDate(found, outputs, flags.update === true) : found.map(() => null);
      // Why an input gets no task: its output is up to date, or it clashes with another and is skipped by its content.
      const held = found.map((file, i) => {
        const state = fresh[i];
        return typeof state === 'string' && state !== 'stale' ? diagnostic('UP_TO_DATE', 'info', file.source, { output: state }) : (skipped.get(i) ?? null);
      });
      const files = found.filter((_, i) => held[i] === null);

      const reporter = context.reporter(verbosity, strict);
      const jobs = asked === null ? null : Math.min(asked, maxJobs());
      if (asked !== null && jobs !== asked)
        reporter.note(`--jobs ${asked} lowered to ${jobs}: at most one job per core and per ${PAGE_MEMORY_BYTES / (1024 * 1024)} MiB of free memory`);
      const bar =
        flags.progress && context.stderr.isTTY && verbosity !== 'quiet' && files.length > 0 ? await progressBar(context, files.length, started) : null;
      // The bar leaves its line whenever a diagnostic is printed, and comes back after.
      const summary = new Summary(
        (d) => {
          bar?.clear();
          reporter.diagnostic(d);
          bar?.restore(performance.now());
        },
        { warningsFail: strict },
      );
      for (const entry of entries) if ('finding' in entry) summary.report(entry.finding);
      for (const d of held) {
        if (d === null) continue;
        summary.report(d);
        if (d.severity === 'error') summary.files.failed++;
      }
      const io: IO = { stdin: context.io.stdin, summary };
      const protect = await inputIdentities(files);
      const finishedOne = (): void => bar?.advance(performance.now());
      if (flags.merge !== undefined) {
        // Measured: merging text dumps on threads was slower than in one (the main thread formats every post anyway).
        const mergeJobs = jobs ?? (files.every((f) => namedAsText(f.source)) ? 1 : maxJobs());
        // The posts of the inputs that could be read are merged all the same.
        const merged: Options = { ...base, inputs: files, output: flags.merge, protect, partial: true };
        await run(merged, await recordWriter(merged, context.io.stdout), io, mergeSource(merged, mergeJobs, jobs === null, finishedOne));
      } else {
        const tasks: Task[] = [];
        found.forEach((file, i) => {
          if (held[i] !== null) return;
          tasks.push({ kind: 'convert', options: { ...base, force: base.force || fresh[i] === 'stale', inputs: [file], output: outputs[i] as string } });
        });
        for await (const message of convertEach(tasks, protect, jobs ?? maxJobs(), jobs === null, finishedOne)) {
          if (message.type === 'diagnostic') summary.report(message.diagnostic);
          if (message.type === 'done') summary.add(message.counts);
        }
      }

      bar?.clear();
      const duplicates = duplicatesNote(summary);
      if (duplicates !== null) reporter.hint(duplicates);
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      const counted = skippedAny(summary.files) ? `${filesNote(summary.files)};` : `${count(inputCount(summary.files), 'file')},`;
      reporter.hint(`${counted} ${runNote(summary)}, ${seconds} s`);
      context.fail(summary.failed);
    });
}

/** How an input's output is named: the format's extension, and whether the input's own is kept before it. */
interface Naming {
  extension: string;
  keepExt: boolean;
}

/**
 * The most jobs that run at once: one per core, and no more than the memory free holds pages being
 * read at once (the worst page under the page limits costs `PAGE_MEMORY_BYTES` while it is read).
 */
function maxJobs(): number {
  return Math.max(1, Math.min(availableParallelism(), Math.floor(process.availableMemory() / PAGE_MEMORY_BYTES)));
}

/**
 * Each input's output: below `outDir` where the input was below its folder or glob, with the
 * format's extension (see {@link outputName}). Two inputs that would write one output are a usage
 * error, unless all but one are skipped by their content (`main.css` and `main.js` are no clash):
 * those get no task (two tasks must never race for one output), only what reading them reports.
 */
async function outputPaths(
  files: readonly InputFile[],
  outDir: string,
  naming: Naming,
  read: ReadOptions,
): Promise<{ outputs: string[]; skipped: Map<number, Diagnostic> }> {
  const root = resolve(outDir);
  const owners = new Map<string, number[]>();
  const skipped = new Map<number, Diagnostic>();
  const outputs = files.map((file, i) => {
    if (file.path === '-') throw flagError({ fault: 'stdin-to-out-dir' });
    const output = join(outDir, outputName(file.relative, naming));
    const resolved = resolve(output);
    const below = relative(root, resolved);
    if (below.startsWith('..') || resolve(root, below) !== resolved) throw flagError({ fault: 'outside-out-dir', input: file.source, outDir });
    const owned = owners.get(resolved);
    if (owned === undefined) owners.set(resolved, [i]);
    else owned.push(i);
    return output;
  });
  for (const indices of owners.values()) {
    if (indices.length < 2) continue;
    const readers: number[] = [];
    for (const i of indices) {
      const file = files[i] as InputFile;
      const skip = await skipOf(readInput(file.path, Readable.from([]), file.source), { ...read, source: file.source, found: file.found });
      if (skip === null) readers.push(i);
      else skipped.set(i, skip);
    }
    const [a, b] = readers.map((i) => files[i] as InputFile);
    if (a !== undefined && b !== undefined)
      throw flagError({ fault: 'same-output', inputs: [a.source, b.source], output: outputs[readers[0] as number] as string, apart: tellApart(a, b, naming) });
  }
  return { outputs, skipped };
}

/** How two inputs that would write one output can be told apart. */
function tellApart(a: InputFile, b: InputFile, naming: Naming): Extract<FlagFault, { fault: 'same-output' }>['apart'] {
  const kept = { ...naming, keepExt: true };
  const [keptA, keptB] = [outputName(a.relative, kept), outputName(b.relative, kept)];
  if (!naming.keepExt && keptA !== keptB) return { by: 'keep-ext', names: [keptA, keptB] };
  // The same path below two folders or globs: given as one folder, each keeps the folder it is in.
  if (a.relative === b.relative) return { by: 'folder' };
  return { by: 'rename' };
}

/**
 * An input's output name, below the same folders: its compression suffix dropped (`a.txt.gz` →
 * `a.txt`), then its extension unless `keepExt`; a query string (wget's `index.html?paged=2`, or with
 * `--adjust-extension` `index.html?paged=2.html`) kept as a safe part of the name (`index-paged=2`);
 * then the format's extension.
 */
function outputName(relativePath: string, { extension, keepExt }: Naming): string {
  const { dir, base } = parsePath(relativePath);
  let name = base;
  for (const layer of LAYERS) name = name.replace(layer.suffix, '');
  const query = name.indexOf('?');
  const path = query === -1 ? name : name.slice(0, query);
  const stem = keepExt ? path : parsePath(path).name;
  // What Windows refuses in a name, and control characters, become `_`.
  const rest =
    query === -1
      ? ''
      : `-${name
          .slice(query + 1)
          .replace(/\.html?$/i, '')
          .replace(/[<>:"/\\|?*\u0000-\u001f]/g, '_')}`;
  return join(dir, `${stem}${rest}${extension}`);
}

/**
 * For each input, whether its output is up to date: null when it has none yet, `stale` when it is
 * older than the input (with `update`), else the output's path (it exists; with `update`, it is as
 * new as the input or newer).
 */
async function upToDate(files: readonly InputFile[], outputs: readonly string[], update: boolean): Promise<(string | 'stale' | null)[]> {
  return Promise.all(
    files.map(async (file, i) => {
      const output = outputs[i] as string;
      const made = await stat(output).catch(() => null);
      if (made === null) return null;
      if (!update) return output;
      const input = await stat(pathLike(file.path)).catch(() => null);
      return input !== null && input.mtimeMs > made.mtimeMs ? 'stale' : output;
    }),
  );
}

/** Outputs go into real folders below --out-dir: a link on the way (to a folder elsewhere, or inside the tree, where two outputs could meet) is refused. */
function refuseLinks(outDir: string, files: readonly InputFile[]): void {
  const found = linkOnTheWay(outDir, new Set(files.map((f) => parsePath(f.relative).dir)));
  if (found !== null) throw new PostdumpError(diagnostic('OUTPUT_LINK', 'error', null, { link: found.link, target: found.target }));
}

/**
 * One output per input: the tasks' messages in input order, from worker threads (or this one with
 * `--jobs 1`). A signal must not leave the workers' temporary files behind, out of reach of this
 * thread's own clean-up: this thread removes those of the outputs in progress.
 */
async function* convertEach(
  tasks: readonly Task[],
  protect: readonly FileIdentity[],
  jobs: number,
  byDefault: boolean,
  onFinished: () => void,
): AsyncGenerator<TaskMessage> {
  if (jobs === 1 || tasks.length === 1) {
    yield* inThread(tasks, protect, onFinished);
    return;
  }
  const { runTasks } = await import('./convert-pool.js');
  const outputOf = (i: number): string => (tasks[i]?.kind === 'convert' ? tasks[i].options.output : null) ?? '';
  const writing = new Set<string>();
  const cleanUp = (): void => removeTemporariesOf(writing);
  for (const signal of SIGNALS) process.prependOnceListener(signal, cleanUp);
  try {
    yield* runTasks(tasks, {
      jobs,
      byDefault,
      // Sent to each worker once, not with each task.
      protect,
      onStarted: (i) => writing.add(outputOf(i)),
      onFinished: (i) => {
        writing.delete(outputOf(i));
        onFinished();
      },
    });
  } finally {
    for (const signal of SIGNALS) process.off(signal, cleanUp);
  }
}

/** Where `--merge`'s posts come from: with several jobs, workers and this thread parse the inputs. */
function mergeSource(options: Options, jobs: number, byDefault: boolean, onFinished: () => void): PostSource {
  if (jobs > 1 && options.inputs.length > 1 && !options.inputs.some((f) => f.path === '-'))
    return parallelSource({ jobs, byDefault, protect: options.protect ?? [], read: options.read, onFinished });
  return async function* (inputs, read, io) {
    for (const input of inputs) {
      yield* readPosts([input], read, io);
      onFinished();
    }
  };
}

/** `--jobs 1`: the same tasks, one after the other in this thread. */
async function* inThread(tasks: readonly Task[], protect: readonly FileIdentity[], onFinished: () => void): AsyncGenerator<TaskMessage> {
  const { performTask } = await import('./convert-tasks.js');
  for (const task of tasks) {
    for await (const message of performTask(task, protect)) {
      yield message;
      if (message.type === 'done') onFinished();
    }
  }
}

/** `--merge` with several jobs: workers and this thread parse the inputs, this thread selects, formats and writes, in input order. */
function parallelSource(options: {
  jobs: number;
  byDefault: boolean;
  protect: readonly FileIdentity[];
  read: Options['read'];
  onFinished: () => void;
}): PostSource {
  return async function* (inputs, _read, { summary }) {
    const { runTasks } = await import('./convert-pool.js');
    const tasks: Task[] = inputs.map((input) => ({ kind: 'read', input, read: options.read }));
    for await (const message of runTasks(tasks, {
      jobs: options.jobs,
      byDefault: options.byDefault,
      protect: options.protect,
      onFinished: options.onFinished,
    })) {
      if (message.type === 'posts') yield message.posts;
      else if (message.type === 'diagnostic') summary.report(message.diagnostic);
      else summary.add(message.counts);
    }
  };
}

async function progressBar(context: CliContext, total: number, started: number): Promise<ProgressBar> {
  const { ProgressBar } = await import('../output/progress.js');
  const bar = new ProgressBar(context.stderr, total, started);
  bar.draw(started);
  return bar;
}
