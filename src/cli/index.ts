import { fstatSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { diagnostic } from '../diagnostics.js';
import { PostdumpError } from '../errors.js';
import { eventLoopTurn } from '../event-loop.js';
import { printable } from '../format/printable.js';
import type { ByteStream } from '../output/stream.js';
import { removeTemporaries } from '../output/temporary.js';
import { colorWhen, palette, PLAIN, type Palette } from './color.js';
import { exitStatuses } from './help.js';
import { colorOption } from './message-flags.js';
import type { CliContext } from './context.js';
import { createReporter } from './report.js';

const { version } = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };

/** Colour of messages on stderr, settled at the start of `main`. */
let color: Palette = PLAIN;
const writeErr = (text: string): void => {
  process.stderr.write(text);
};
// Commander's messages echo the arguments given: escaped like everything from outside.
const errorLine = (message: string): string => `postdump: ${color.redBold('error')}: ${printable(message)}\n`;

/**
 * commander's message as ours: without its "error: " (ours all read "postdump: error: ..."), and on
 * one line, as every message is: commander puts a suggestion on a line of its own
 * ("\n(Did you mean --force?)").
 */
const commanderMessage = (message: string): string =>
  message
    .replace(/^error: /, '')
    .trim()
    .replace(/(?<!\s)\s*\n\s*/g, ' ');

type Register = (program: Command, context: CliContext) => void;

/** Each command's module, in the order help lists them; loaded only when needed (see `buildProgram`). */
const COMMANDS: Record<string, () => Promise<Register>> = {
  parse: async () => (await import('./parse.js')).registerParse,
  convert: async () => (await import('./convert.js')).registerConvert,
  split: async () => (await import('./split.js')).registerSplit,
  stats: async () => (await import('./stats.js')).registerStats,
  check: async () => (await import('./check.js')).registerCheck,
  schema: async () => (await import('./schema.js')).registerSchema,
};

async function buildProgram(context: CliContext, args: readonly string[]): Promise<Command> {
  const program = new Command('postdump')
    .description('Turn scraped post listings of kexue.fm (科学空间) into clean records.')
    .version(version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'print this help')
    .addOption(colorOption())
    .helpCommand('help [command]', 'print the help of a command')
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({
      writeErr,
      outputError: (message, write) => write(errorLine(commanderMessage(message))),
    })
    .addHelpText(
      'after',
      `
Examples:
  $ postdump parse dump.txt
  $ postdump parse dump.txt -f jsonl | jq -r '.title'
  $ postdump convert pages/ --out-dir out -f md
  $ postdump split dump.txt --out-dir notes
  $ postdump stats dump.txt
  $ postdump check dump.txt
  $ postdump parse --help
${exitStatuses([
  'no post found',
  'an input that could not be read',
  'an output that could not be written or already exists',
  '--strict warnings (check: anything found)',
])}`,
    );
  // The first word that is not an option names the command: only its module is loaded, so that
  // `postdump parse` starts without the others. Anything else (help, a typo, nothing) gets them all.
  const word = args.find((arg) => !arg.startsWith('-'));
  const names = word !== undefined && Object.hasOwn(COMMANDS, word) ? [word] : Object.keys(COMMANDS);
  for (const name of names) (await (COMMANDS[name] as () => Promise<Register>)())(program, context);
  return program;
}

async function main(): Promise<void> {
  // A closed stderr, or a stdout closed while help is printed (`postdump --help | head -1`), must not
  // crash the program; data written to stdout meets its errors in its own sink.
  ignoreErrorsWhenMade('stderr');
  ignoreErrorsWhenMade('stdout');
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      removeTemporaries();
      process.kill(process.pid, signal);
    });
  }
  const args = process.argv.slice(2);
  const when = colorWhen(args);
  color = await palette('stderr', isTerminal(kindOf(2), 'stderr'), process.env, when);
  const stdout = kindOf(1);
  const context: CliContext = {
    io: { stdin: lazyStdin(), stdout: stdout === 'file' || stdout === 'null' ? directStdout() : process.stdout },
    get stderr() {
      return process.stderr;
    },
    stdoutColor: await palette('stdout', isTerminal(stdout, 'stdout'), process.env, when),
    reporter: (verbosity, strict) => createReporter(writeErr, color, verbosity, strict),
    fail(failed) {
      if (failed) process.exitCode = 1;
    },
  };
  const program = await buildProgram(context, args);
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    process.exitCode = exitCodeOf(e);
    if (e instanceof CommanderError && CALL_ERRORS.has(e.code)) writeErr(usageLine(program, args));
  }
  // A signal that came during the last stretch of work ends the process by that signal, not as if it had not come.
  await eventLoopTurn();
  // Nothing is left to do: end now rather than have Node tear V8's heap down page by page (0.6 ms
  // of a start). Not while a standard stream still holds bytes that its reader has not taken (a
  // pipe's writes can wait in Node): only the event loop hands them over.
  if (madeStreams.every((stream) => stream.writableLength === 0)) process.exit();
}

/** Errors about how a command is called (an argument or a required option missing): its usage line follows. */
const CALL_ERRORS = new Set(['commander.missingArgument', 'commander.missingMandatoryOptionValue']);

/** `usage: postdump convert <inputs...> (--out-dir DIR | --merge FILE) [options]; see postdump convert --help`. */
function usageLine(program: Command, args: readonly string[]): string {
  const word = args.find((arg) => !arg.startsWith('-'));
  const command = program.commands.find((c) => c.name() === word) ?? program;
  const name = command === program ? 'postdump' : `postdump ${command.name()}`;
  return `usage: ${name} ${command.usage()}; see ${name} --help\n`;
}

/** Standard output and error, once made (see `ignoreErrorsWhenMade`). */
const madeStreams: NodeJS.WriteStream[] = [];

/**
 * Node makes `process.stdout` and `process.stderr` when they are first touched (over a pipe or a
 * terminal, a stream that loads `net`: 2 ms of a start), and a run that says nothing need not make
 * stderr: `stream` gets its 'error' listener when it is made, whoever touches it first.
 */
function ignoreErrorsWhenMade(stream: 'stdout' | 'stderr'): void {
  const make = Object.getOwnPropertyDescriptor(process, stream)?.get;
  if (make === undefined) {
    process[stream].on('error', () => {});
    madeStreams.push(process[stream]);
    return;
  }
  let made: NodeJS.WriteStream | undefined;
  Object.defineProperty(process, stream, {
    configurable: true,
    enumerable: true,
    get: () => {
      if (made === undefined) {
        made = make.call(process) as NodeJS.WriteStream;
        made.on('error', () => {});
        madeStreams.push(made);
      }
      return made;
    },
  });
}

/**
 * What `fd` is, by fstat, without making its stream: a regular file, /dev/null (a character device
 * that is never a terminal), another character device (a terminal, maybe), or neither (a pipe, a
 * socket, or closed).
 */
function kindOf(fd: 1 | 2): 'file' | 'null' | 'device' | 'other' {
  try {
    const stat = fstatSync(fd);
    if (stat.isFile()) return 'file';
    if (!stat.isCharacterDevice()) return 'other';
    return stat.rdev === statSync('/dev/null').rdev ? 'null' : 'device';
  } catch {
    return 'other';
  }
}

type StdioKind = ReturnType<typeof kindOf>;

/** Whether a standard stream of `kind` is a terminal, without making the stream when it cannot be one. */
function isTerminal(kind: StdioKind, stream: 'stdout' | 'stderr'): boolean {
  return kind === 'device' && process[stream].isTTY;
}

/**
 * Standard output over a file or /dev/null: each chunk written with writeSync, as Node's stream for
 * them does, without making that stream, whose module (`stream`, with all of its kinds of stream)
 * costs 3 ms of a start; a failed write (a full disk) reaches the write's callback.
 */
function directStdout(): ByteStream {
  let destroyed = false;
  return {
    get destroyed() {
      return destroyed;
    },
    write(chunk, callback) {
      let error: Error | null = null;
      try {
        for (let done = 0; done < chunk.length; ) done += writeSync(1, chunk, done);
      } catch (e) {
        error = e instanceof Error ? e : new Error(String(e));
      }
      process.nextTick(callback, error);
    },
    end(callback) {
      process.nextTick(callback, null);
    },
    destroy() {
      destroyed = true;
    },
    // Nothing to listen to: a failure comes back to the write that met it.
    on() {},
  };
}

/**
 * Standard input, made only when it is read: `process.stdin` costs 2 ms of every start (a stream
 * over a TTY, pipe or file, set up when first touched), and most runs read files.
 */
function lazyStdin(): CliContext['io']['stdin'] {
  return {
    get isTTY() {
      return process.stdin.isTTY;
    },
    [Symbol.asyncIterator]: () => process.stdin[Symbol.asyncIterator](),
  };
}

/** The one place that turns a failure into an exit status (and, for expected failures, one line). */
function exitCodeOf(e: unknown): number {
  if (e instanceof CommanderError) {
    // Help and version "errors" are successes; commander has already printed any real error.
    return e.exitCode === 0 ? 0 : 2;
  }
  if (e instanceof PostdumpError) {
    createReporter(writeErr, color, 'normal', false).diagnostic(e.diagnostic);
    return e.exitCode;
  }
  // A string or buffer larger than V8 allows (a record of a gigabyte as CSV): memory, not a bug.
  if (e instanceof RangeError && /^(?:Invalid (?:string|array|typed array) length|Array buffer allocation failed)/.test(e.message)) {
    createReporter(writeErr, color, 'normal', false).diagnostic(diagnostic('OUT_OF_MEMORY', 'error', null, { tooLarge: e.message.toLowerCase() }));
    return 1;
  }
  writeErr(errorLine(`internal error, please report it: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
  return 1;
}

void main();
