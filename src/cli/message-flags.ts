/** The flags about what a command says on stderr: --strict, -q, -v, --color, --no-progress, -h. */
import { type Command, Option } from 'commander';
import { COLOR_CHOICES } from './color.js';

/** `--color`, which `colorWhen` reads (before commander, whose errors are coloured too). */
export const colorOption = (): Option =>
  new Option('--color <when>', 'colour messages and charts: auto (on a terminal; NO_COLOR turns it off, FORCE_COLOR on), always, never')
    .choices(COLOR_CHOICES)
    .default('auto');

/** What every command says on stderr: with `report`, the flags of a command that reads inputs (--strict, -q, -v); with `progress`, --no-progress. */
export function addMessageOptions(command: Command, { report, progress = false }: { report: boolean; progress?: boolean }): Command {
  command.optionsGroup('Message options:');
  if (report)
    command
      .option('--strict', 'treat warnings as errors (exit 1)')
      .addOption(new Option('-q, --quiet', 'show errors only').conflicts('verbose'))
      .option('-v, --verbose', 'also show skipped page noise, each file skipped with its reason, and a summary');
  command.addOption(colorOption());
  if (progress) command.option('--no-progress', 'draw no progress bar on a terminal');
  // A help option of its own, so that it is listed in this group.
  return command.helpOption('-h, --help', 'print this help');
}
