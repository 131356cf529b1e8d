/**
 * Every command's --help reads alike: a flag that several commands share is described in the same
 * words and listed in the same order everywhere; option descriptions are lower-case phrases
 * without a final period; every help ends with examples and the exit statuses.
 * (That the examples run as printed is tests/help-examples.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

const COMMANDS = ['parse', 'convert', 'split', 'stats', 'check', 'schema'] as const;
// Flags whose words name what the command writes: the same flag, a different object.
const PER_COMMAND = new Set(['-f, --format', '--force', '--out-dir', '--json', '--jobs']);

interface HelpText {
  text: string;
  /** The headings of the option groups (`Input options:`), in help order. */
  groups: string[];
  /** Each option's flags (`-q, --quiet`, `--since`) and its description on one line, in help order. */
  options: { flags: string; description: string }[];
}

function help(command: string | null): HelpText {
  const text = runCli(command === null ? ['--help'] : [command, '--help']).stdout;
  const sections = [...text.matchAll(/\n(\w+ options:|Options:)\n([\s\S]*?)\n(?=\n)/g)];
  const options: HelpText['options'] = [];
  for (const line of sections.flatMap((m) => (m[2] as string).split('\n'))) {
    const option = /^ {2}(-[^<\s,]*(?:, --\S+)?)(?: <\w+>)?\s+(.*)$/.exec(line);
    if (option) options.push({ flags: option[1] as string, description: option[2] as string });
    else if (options.length > 0) (options.at(-1) as { description: string }).description += ` ${line.trim()}`;
  }
  return { text, groups: sections.map((m) => m[1] as string), options };
}

const helps = new Map<string | null, HelpText>([null, ...COMMANDS].map((command) => [command, help(command)]));
const of = (command: string | null): HelpText => helps.get(command) as HelpText;

describe('--help wording', () => {
  it.each([null, ...COMMANDS])('%s: options described as lower-case phrases without a final period, then examples and exit statuses', (command) => {
    const { text, options } = of(command);
    expect(options.length).toBeGreaterThanOrEqual(1);
    for (const { flags, description } of options) {
      expect(description, flags).toMatch(/^[a-z]/);
      expect(description, flags).not.toMatch(/\.$/);
    }
    expect(text).toMatch(/\nExamples:\n( {2}\$ .+\n)+\nExit status:\n {2}0 {2}.+\n[\s\S]* {2}2 {2}a usage error/);
  });

  it.each([...COMMANDS])('%s: options grouped by concern, in the order input, selection, output, format, messages', (command) => {
    const order = ['Input options:', 'Selection options:', 'Output options:', 'Format options:', 'Message options:'];
    const { groups } = of(command);
    expect(groups.at(-1)).toBe('Message options:');
    expect(groups).toEqual(order.filter((group) => groups.includes(group)));
    if (command !== 'schema') expect(groups).toEqual(expect.arrayContaining(['Input options:', 'Output options:']));
  });

  it('the commands are summarised as lower-case phrases', () => {
    const list = /\nCommands:\n([\s\S]*?)\n\n/.exec(of(null).text)?.[1] ?? '';
    const summaries = [...list.matchAll(/^ {2}(\w+) .*? {2,}(\S.*)$/gm)].map((m) => [m[1], m[2]]);
    expect(summaries.map(([name]) => name)).toEqual([...COMMANDS, 'help']);
    for (const [name, summary] of summaries) expect(summary, name).toMatch(/^[a-z]/);
  });

  it('a flag shared by several commands has the same words everywhere', () => {
    const seen = new Map<string, { command: string; description: string }>();
    for (const command of COMMANDS) {
      for (const { flags, description } of of(command).options) {
        if (PER_COMMAND.has(flags)) continue;
        const first = seen.get(flags);
        if (first === undefined) seen.set(flags, { command, description });
        else expect(`${command} ${flags}: ${description}`).toBe(`${command} ${flags}: ${first.description}`);
      }
    }
    // The input flags, the selection flags and help at least.
    expect(seen.size).toBeGreaterThanOrEqual(17);
  });

  it('shared flags come in the same order in every command', () => {
    const orders = COMMANDS.map((command) => of(command).options.map((o) => o.flags));
    for (const a of orders) {
      for (const b of orders) {
        const shared = a.filter((flags) => b.includes(flags));
        expect(b.filter((flags) => a.includes(flags))).toEqual(shared);
      }
    }
  });
});
