/** The flags of every command that reads inputs (encoding, input type, exclusions), and what they become. */
import { type Command, Option } from 'commander';
import { resolveEncoding } from '../input/decode.js';
import { INPUT_TYPES, type InputType } from '../input/kinds.js';
import type { ReadOptions } from '../input/read-by-kind.js';
import type { Verbosity } from './report.js';

/** Flags shared by every command that reads inputs, as commander hands them over. */
export interface InputFlags {
  encoding: string;
  inputType: InputType;
  exclude: string[];
  strict?: true;
  quiet?: true;
  verbose?: true;
}

export function addInputOptions(command: Command): Command {
  return command
    .optionsGroup('Input options:')
    .option(
      '--encoding <name>',
      "read inputs in encoding NAME: auto (a BOM, a page's <meta charset>, UTF-8, else GB18030), utf-8, gbk, big5, utf-16le, cp437, ...",
      'auto',
    )
    .addOption(
      new Option(
        '--input-type <type>',
        'read every input as TYPE (auto: each by its first bytes, its name a hint only: dumps, pages, feeds; gzip, Brotli, tar, WARC and MHTML are opened first)',
      )
        .choices(INPUT_TYPES)
        .default('auto'),
    )
    .option(
      '--exclude <glob>',
      'in folders and globs, skip the files GLOB matches, as a .gitignore line does, against the path below the folder (repeatable)',
      (glob: string, globs: string[]) => [...globs, glob],
      [] as string[],
    );
}

export interface InputSettings {
  read: ReadOptions;
  /** `--exclude` patterns. */
  exclude: readonly string[];
  strict: boolean;
  verbosity: Verbosity;
}

export function inputSettings(flags: InputFlags): InputSettings {
  return {
    read: { encoding: resolveEncoding(flags.encoding), inputType: flags.inputType },
    exclude: flags.exclude,
    strict: flags.strict === true,
    verbosity: flags.quiet ? 'quiet' : flags.verbose ? 'verbose' : 'normal',
  };
}
