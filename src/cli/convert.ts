import { availableParallelism } from 'node:os';
import { join, parse as parsePath, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Command } from 'commander';
import { diagnostic } from '../diagnostics.js';
import { PostdumpError, usageError } from '../errors.js';
import type { Format } from '../format/index.js';
import { PAGE_MEMORY_BYTES } from '../input/html-tree.js';
import { removeTemporariesOf } from '../output/temporary.js';
import { linkOnTheWay, makeFolder } from '../output/folder.js';
import type { ProgressBar } from '../output/progress.js';
import { emptySummary, failed, inputIdentities, readPosts, run, type FileIdentity, type IO, type Options, type PostSource, type Summary } from '../pipeline.js';
import type { Diagnostic } from '../types.js';
import {
  addFormatOptions,
  addInputOptions,
  addSelectOptions,
  count,
  EXIT_CODES,
  formatSettings,
  inputSettings,
  runNote,
  selectOptions,
  wholeNumber,
  type FormatFlags,
  type InputFlags,
  type SelectFlags,
} from './common.js';
import type { CliContext } from './context.js';
import type { Task, TaskMessage } from './convert-tasks.js';
import { expandInputs, type InputFile } from './inputs.js';

interface ConvertFlags extends InputFlags, FormatFlags, SelectFlags {
  outDir?: string;
  merge?: string;
  jobs?: string;
  force?: true;
  writeThroughLinks?: true;
}

const EXAMPLES = `
Examples:
  $ postdump convert fixtures/commands/tree --out-dir out -f jsonl
  $ postdump convert 'fixtures/commands/**/*.txt' --out-dir out -f md --force
  $ postdump convert fixtures/seed.txt fixtures/formats/tricky.txt --out-dir out -f csv --excel --force --jobs 2
  $ postdump convert fixtures/seed.txt fixtures/commands --merge all.jsonl --dedupe --sort date --force
  $ postdump convert fixtures/commands --out-dir out -f csv --force --fields title,date,series,part --since 2021-06-01
${EXIT_CODES}`;

const EXTENSIONS: Record<Format, string> = { json: '.json', jsonl: '.jsonl', csv: '.csv', md: '.md' };
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export function registerConvert(program: Command, context: CliContext): void {
  const command = program
    .command('convert')
    .summary('convert many inputs: one output each (folder structure kept), or one merged file')
    .description(
      'Convert files, folders (recursively: their .txt, .html and .htm files) and quoted globs. Each input gets its own output ' +
        "in --out-dir, at the same place relative to the folder or glob it came from, with the format's extension; --merge FILE " +
        'writes every record into one file instead. Inputs are converted in parallel (--jobs), with results reported in input ' +
        'order. A failing input is reported by name and the others still convert (exit 1). Outputs are written atomically; ' +
        'nothing goes to stdout; a progress bar and a summary go to stderr.',
    )
    .argument('<inputs...>', 'text dumps or saved pages: files, folders or quoted globs; - reads standard input (with --merge)')
    .option('--out-dir <dir>', 'write one output per input below DIR (made if need be)')
    .option('--merge <file>', 'write every record into FILE instead (format from its extension unless -f)')
    .option(
      '--jobs <n>',
      `convert on N worker threads (default: the number of cores, here ${availableParallelism()}; with --merge, 1 unless an input is a ` +
        'saved page, since text dumps parse faster than their posts can be handed between threads); at most the number of cores, ' +
        `and no more than the free memory holds pages being read at once (${PAGE_MEMORY_BYTES / (1024 * 1024)} MiB each)`,
    )
    .option('--force', 'overwrite existing output files')
    .option('--write-through-links', 'write through symbolic links to folders inside --out-dir (refused without it: they may lead outside)');
  addSelectOptions(addInputOptions(addFormatOptions(command, '--merge')), { fields: true })
    .addHelpText('after', EXAMPLES)
    .action(async (inputs: string[], flags: ConvertFlags) => {
      if ((flags.outDir === undefined) === (flags.merge === undefined)) throw usageError('convert needs either --out-dir DIR or --merge FILE');
      if (flags.merge === '-') throw usageError('convert writes files, never standard output: use postdump parse for that');
      const { format, fields } = formatSettings(flags, flags.merge);
      const select = selectOptions(flags, fields);
      const asked = flags.jobs === undefined ? null : wholeNumber('--jobs', flags.jobs, 1);
      const { read, strict, verbosity } = inputSettings(flags);
      const base: Omit<Options, 'inputs' | 'output'> = { read, select, format, force: flags.force === true, strict };
      const started = performance.now();

      const entries = await expandInputs(inputs);
      const files = entries.filter((e): e is InputFile => 'path' in e);
      const outputs = flags.outDir === undefined ? [] : outputPaths(files, flags.outDir, EXTENSIONS[format.format]);
      if (flags.outDir !== undefined) {
        if (flags.writeThroughLinks !== true) refuseLinks(flags.outDir, files);
        await makeFolder(flags.outDir);
      }

      const reporter = context.reporter(verbosity, strict);
      const jobs = asked === null ? null : Math.min(asked, maxJobs());
      if (asked !== null && jobs !== asked)
        reporter.note(`--jobs ${asked} lowered to ${jobs}: at most one job per core and per ${PAGE_MEMORY_BYTES / (1024 * 1024)} MiB of free memory`);
      const bar = context.stderr.isTTY && verbosity !== 'quiet' && files.length > 0 ? await progressBar(context, files.length, started) : null;
      // The bar leaves its line whenever a diagnostic is printed, and comes back after.
      const report = (d: Diagnostic): void => {
        bar?.clear();
        reporter.diagnostic(d);
        bar?.draw(performance.now());
      };
      const summary = emptySummary();
      for (const entry of entries) {
        if ('problem' in entry) {
          summary.errors++;
          report(entry.problem);
        }
      }
      const io: IO = { ...context.io, report };
      const protect = await inputIdentities(files.map((f) => f.path));
      const finishedOne = (): void => bar?.advance(performance.now());
      if (flags.merge !== undefined) {
        // Measured: merging text dumps on threads was slower than in one (the main thread formats every post anyway).
        const mergeJobs = jobs ?? (files.some((f) => /\.html?$/iu.test(f.path)) ? maxJobs() : 1);
        add(summary, await mergeAll(files, { ...base, output: flags.merge, protect }, mergeJobs, io, finishedOne));
      } else {
        const tasks: Task[] = files.map((f, i) => ({ kind: 'convert', options: { ...base, inputs: [f.path], output: outputs[i] as string } }));
        for await (const message of convertEach(tasks, protect, jobs ?? maxJobs(), finishedOne)) {
          if (message.type === 'diagnostic') report(message.diagnostic);
          if (message.type === 'done') add(summary, message.summary);
        }
      }

      bar?.clear();
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      reporter.hint(`${count(files.length, 'file')}, ${runNote(summary)}, ${seconds} s`);
      context.fail(failed(summary, strict));
    });
}

/**
 * The most jobs that run at once: one per core, and no more than the memory free holds pages being
 * read at once (the worst page under the page limits costs `PAGE_MEMORY_BYTES` while it is read).
 */
function maxJobs(): number {
  return Math.max(1, Math.min(availableParallelism(), Math.floor(process.availableMemory() / PAGE_MEMORY_BYTES)));
}

/** Each input's output: below `outDir` where the input was below its folder or glob, with the format's extension. */
function outputPaths(files: readonly InputFile[], outDir: string, extension: string): string[] {
  const root = resolve(outDir);
  const owner = new Map<string, string>();
  return files.map((file) => {
    if (file.path === '-') throw usageError('convert --out-dir reads files: name them, or use --merge FILE (or postdump parse) for standard input');
    const { dir, name } = parsePath(file.relative);
    const output = join(outDir, dir, name + extension);
    const resolved = resolve(output);
    const below = relative(root, resolved);
    if (below.startsWith('..') || resolve(root, below) !== resolved) throw usageError(`${file.path} would be written outside --out-dir ${outDir}`);
    const other = owner.get(resolved);
    if (other !== undefined) throw usageError(`${other} and ${file.path} would both be written to ${output}; convert their folder instead, or use --merge`);
    owner.set(resolved, file.path);
    return output;
  });
}

/** Outputs go into real folders below --out-dir: a link on the way (to a folder elsewhere, or inside the tree, where two outputs could meet) is refused. */
function refuseLinks(outDir: string, files: readonly InputFile[]): void {
  const found = linkOnTheWay(outDir, new Set(files.map((f) => parsePath(f.relative).dir)));
  if (found !== null) throw new PostdumpError(diagnostic('OUTPUT_LINK', 'error', null, `${found.link}, a symbolic link inside --out-dir to ${found.target}`));
}

/**
 * One output per input: the tasks' messages in input order, from worker threads (or this one with
 * `--jobs 1`). A signal must not leave the workers' temporary files behind, out of reach of this
 * thread's own clean-up: this thread removes those of the outputs in progress.
 */
async function* convertEach(tasks: readonly Task[], protect: readonly FileIdentity[], jobs: number, onFinished: () => void): AsyncGenerator<TaskMessage> {
  if (jobs === 1 || tasks.length === 1) {
    yield* inThread(tasks, protect, onFinished);
    return;
  }
  const { runOnWorkers } = await import('./convert-pool.js');
  const outputOf = (i: number): string => (tasks[i]?.kind === 'convert' ? tasks[i].options.output : null) ?? '';
  const writing = new Set<string>();
  const cleanUp = (): void => removeTemporariesOf(writing);
  for (const signal of SIGNALS) process.prependOnceListener(signal, cleanUp);
  try {
    yield* runOnWorkers(tasks, {
      jobs,
      ahead: Number.POSITIVE_INFINITY,
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

/** `--merge`: one run over every input into one output; with several jobs, workers parse the inputs. */
function mergeAll(files: readonly InputFile[], options: Omit<Options, 'inputs'>, jobs: number, io: IO, onFinished: () => void): Promise<Summary> {
  const paths = files.map((f) => f.path);
  const source: PostSource =
    jobs > 1 && paths.length > 1 && !paths.includes('-')
      ? parallelSource({ jobs, protect: options.protect ?? [], read: options.read, onFinished })
      : async function* (inputs, read, io, summary) {
          for (const input of inputs) {
            yield* readPosts([input], read, io, summary);
            onFinished();
          }
        };
  // The posts of the inputs that could be read are merged all the same.
  return run({ ...options, inputs: paths, partial: true }, io, source);
}

/** `--jobs 1`: the same tasks, one after the other in this thread. */
async function* inThread(tasks: readonly Task[], protect: readonly FileIdentity[], onFinished: () => void): AsyncGenerator<TaskMessage> {
  const { performTask } = await import('./convert-tasks.js');
  for (const task of tasks) {
    for await (const message of performTask(task.kind === 'convert' ? { ...task, options: { ...task.options, protect } } : task)) {
      yield message;
      if (message.type === 'done') onFinished();
    }
  }
}

/** `--merge` with several jobs: workers parse the inputs, this thread selects, formats and writes, in input order. */
function parallelSource(options: { jobs: number; protect: readonly FileIdentity[]; read: Options['read']; onFinished: () => void }): PostSource {
  return async function* (inputs, _read, io, summary) {
    const { runOnWorkers } = await import('./convert-pool.js');
    const tasks: Task[] = inputs.map((input) => ({ kind: 'read', input, read: options.read }));
    // A few inputs ahead per worker keep them busy; more would only pile parsed posts up in memory.
    for await (const message of runOnWorkers(tasks, {
      jobs: options.jobs,
      ahead: 2 * options.jobs,
      protect: options.protect,
      onFinished: options.onFinished,
    })) {
      if (message.type === 'posts') yield message.posts;
      else if (message.type === 'diagnostic') io.report(message.diagnostic);
      else add(summary, message.summary);
    }
  };
}

function add(total: Summary, part: Summary): void {
  total.posts += part.posts;
  total.selected += part.selected;
  total.errors += part.errors;
  total.warnings += part.warnings;
}

async function progressBar(context: CliContext, total: number, started: number): Promise<ProgressBar> {
  const { ProgressBar } = await import('../output/progress.js');
  const bar = new ProgressBar(context.stderr, total, started);
  bar.draw(started);
  return bar;
}
