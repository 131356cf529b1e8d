import { Option, type Command } from 'commander';
import { usageError } from '../errors.js';
import { FORMATS, formatOfPath, type Format } from '../format/index.js';
import { resolveEncoding } from '../input/decode.js';
import { INPUT_TYPES, type InputType } from '../input/detect.js';
import type { ReadOptions } from '../records.js';
import type { Verbosity } from './report.js';

/** Flags shared by every command that reads inputs, as commander hands them over. */
export interface InputFlags {
  encoding: string;
  inputType: InputType;
  strict?: true;
  quiet?: true;
  verbose?: true;
}

export function addInputOptions(command: Command): Command {
  return command
    .option('--encoding <name>', 'input encoding: auto, utf-8, gb18030, gbk, utf-16le, utf-16be, big5, ...', 'auto')
    .addOption(new Option('--input-type <type>', 'read inputs as text dumps or saved HTML pages (auto: .html/.htm names and pages that start like one)').choices(INPUT_TYPES).default('auto'))
    .option('--strict', 'treat warnings as errors (exit 1)')
    .addOption(new Option('-q, --quiet', 'show errors only').conflicts('verbose'))
    .option('-v, --verbose', 'also show skipped page noise and a summary');
}

export interface InputSettings {
  read: ReadOptions;
  strict: boolean;
  verbosity: Verbosity;
}

export function inputSettings(flags: InputFlags): InputSettings {
  return {
    read: { encoding: resolveEncoding(flags.encoding), inputType: flags.inputType },
    strict: flags.strict === true,
    verbosity: flags.quiet ? 'quiet' : flags.verbose ? 'verbose' : 'normal',
  };
}

export const formatOption = (): Option =>
  new Option('-f, --format <format>', "output format (default: from -o's extension, else json)").choices(FORMATS);

/** `-f` if given, else what `-o`'s extension names, else JSON. */
export function chooseFormat(format: Format | undefined, output: string | undefined): Format {
  if (format !== undefined) return format;
  if (output === undefined) return 'json';
  const inferred = formatOfPath(output);
  if (inferred === null) throw usageError(`cannot tell the output format from "${output}"; add -f ${FORMATS.join('|')}`);
  return inferred;
}

/** Appended to every command's --help. */
export const EXIT_CODES = `
Exit status:
  0  success
  1  a data problem: no post found, an input that could not be read, --strict warnings
  2  a usage error: unknown flag, bad value`;
