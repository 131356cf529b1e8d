import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { PostdumpError } from '../errors.js';
import { removeTemporaries } from '../output/file.js';
import { stderrColor, stdoutColor } from './color.js';
import { EXIT_CODES } from './common.js';
import type { CliContext } from './context.js';
import { registerParse } from './parse.js';
import { registerCheck } from './check.js';
import { registerConvert } from './convert.js';
import { registerSchema } from './schema.js';
import { registerSplit } from './split.js';
import { registerStats } from './stats.js';
import { createReporter } from './report.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const color = stderrColor(process.env);
const writeErr = (text: string): void => {
  process.stderr.write(text);
};
const errorLine = (message: string): string => `postdump: ${color.red.bold('error')}: ${message}\n`;

function buildProgram(context: CliContext): Command {
  const program = new Command('postdump')
    .description('Turn scraped post listings of kexue.fm (科学空间) into clean records.')
    .version(version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({
      writeErr,
      // commander's messages start with "error: "; ours all read "postdump: error: ...".
      outputError: (message, write) => write(errorLine(message.replace(/^error: /, '').trimEnd())),
    })
    .addHelpText(
      'after',
      `
Examples:
  $ postdump parse fixtures/seed.txt
  $ postdump parse fixtures/seed.txt -f jsonl | jq -r '.title'
  $ postdump convert fixtures/commands/tree --out-dir out -f md
  $ postdump split fixtures/seed.txt --out-dir notes
  $ postdump stats fixtures/seed.txt
  $ postdump check fixtures/seed.txt
  $ postdump parse --help
${EXIT_CODES}`,
    );
  registerParse(program, context);
  registerConvert(program, context);
  registerSplit(program, context);
  registerStats(program, context);
  registerCheck(program, context);
  registerSchema(program, context);
  return program;
}

async function main(): Promise<void> {
  // A closed stderr must not crash the program.
  process.stderr.on('error', () => {});
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      removeTemporaries();
      process.kill(process.pid, signal);
    });
  }
  const context: CliContext = {
    io: { stdin: process.stdin, stdout: process.stdout },
    stderr: process.stderr,
    stdoutColor: stdoutColor(process.env),
    reporter: (verbosity, strict) => createReporter(writeErr, color, verbosity, strict),
    fail(failed) {
      if (failed) process.exitCode = 1;
    },
  };
  try {
    await buildProgram(context).parseAsync(process.argv);
  } catch (e) {
    process.exitCode = exitCodeOf(e);
  }
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
  writeErr(errorLine(`internal error, please report it: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
  return 1;
}

await main();
