import type { Command } from 'commander';
import { RECORD_SCHEMA } from '../schema.js';
import { exitStatuses } from './help.js';
import { addMessageOptions } from './message-flags.js';
import { writeOutput } from './write-output.js';
import type { CliContext } from './context.js';

const EXAMPLES = `
Examples:
  $ postdump schema
  $ postdump schema > record.schema.json
  $ postdump schema | jq -r '.required[]'
${exitStatuses([])}`;

export function registerSchema(program: Command, context: CliContext): void {
  const command = program
    .command('schema')
    .summary("print the record's JSON Schema")
    .description(
      'Print the JSON Schema (draft 2020-12) of one record: an element of the JSON array, a line of JSON Lines. ' +
        'It lists every field, the optional series, part, categories and tags included; --fields output is a projection of it.',
    );
  addMessageOptions(command, { report: false })
    .addHelpText('after', EXAMPLES)
    .action(async () => {
      await writeOutput(context.io.stdout, `${JSON.stringify(RECORD_SCHEMA, null, 2)}\n`);
    });
}
