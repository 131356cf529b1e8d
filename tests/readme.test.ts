/**
 * The README cannot rot: every shell example that uses `fixtures/` runs as printed, and every
 * `console` block's commands print what the block shows. Each block runs in a scratch folder of
 * its own where `fixtures` links to the repository's, and `postdump` is the built CLI.
 *
 * In a `console` block, `$ ` starts a command (a line ending in `\` continues it) and the lines up
 * to the next command are its output, stdout and stderr together, as on a terminal; CRLF reads as
 * LF. A line `...` stands for any number of lines, and a line ending in `...` for a line that
 * starts with what comes before the dots. In an `sh` block that names `fixtures/`, each line is a
 * command (`npm` ones, which the quick start shows, are left to the tests themselves). A command
 * must exit 0; `postdump check` may exit 1, as check does when it finds something.
 */
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { binPath, hasCommand, repoRoot, runCli, runShell, shellQuote } from './helpers/cli.js';
import { temporaryFolders } from './helpers/workspace.js';

const tempDir = temporaryFolders('readme');
const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');

interface Example {
  command: string;
  /** What a `console` block shows after the command; null in an `sh` block. */
  output: string[] | null;
}

interface Block {
  /** 1-based line of the opening fence, for messages. */
  line: number;
  examples: Example[];
}

/** Lines joined where one ends in a backslash (a command continued on the next line). */
function logicalLines(lines: readonly string[]): string[] {
  const out: string[] = [];
  let pending: string | null = null;
  for (const line of lines) {
    const joined: string = pending === null ? line : `${pending}\n${line}`;
    if (joined.endsWith('\\')) pending = joined;
    else {
      out.push(joined);
      pending = null;
    }
  }
  if (pending !== null) out.push(pending);
  return out;
}

function blocks(language: 'sh' | 'console'): Block[] {
  const found: Block[] = [];
  for (const m of readme.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)) {
    if (m[1] !== language) continue;
    const line = readme.slice(0, m.index).split('\n').length;
    const lines = logicalLines((m[2] as string).replace(/\n$/, '').split('\n'));
    if (language === 'sh') {
      if (!lines.some((l) => l.includes('fixtures/'))) continue;
      const commands = lines.filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#') && !/^npm\s/.test(l));
      found.push({ line, examples: commands.map((command) => ({ command, output: null })) });
    } else {
      const examples: Example[] = [];
      for (const l of lines) {
        if (l.startsWith('$ ')) examples.push({ command: l.slice(2), output: [] });
        else (examples.at(-1)?.output ?? []).push(...l.split('\n'));
      }
      found.push({ line, examples });
    }
  }
  return found;
}

/** Whether `actual` lines are what `expected` shows, with `...` elisions. */
function shows(expected: readonly string[], actual: readonly string[]): boolean {
  const [head, ...rest] = expected;
  if (head === undefined) return actual.length === 0;
  if (head === '...') {
    for (let skip = 0; skip <= actual.length; skip++) if (shows(rest, actual.slice(skip))) return true;
    return false;
  }
  const line = actual[0];
  if (line === undefined) return false;
  const same = head.endsWith('...') ? line.startsWith(head.slice(0, -3)) : line === head;
  return same && shows(rest, actual.slice(1));
}

/**
 * Runs a block's commands in order in a scratch folder: each one's status and output (stdout and
 * stderr). `postdump` is also a command on PATH there, for the programs that start it (GNU parallel).
 */
function runBlock(block: Block): { status: number; output: string }[] {
  const dir = tempDir();
  symlinkSync(join(repoRoot, 'fixtures'), join(dir, 'fixtures'));
  const bin = join(dir, '.bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'postdump'), `#!/bin/sh\nexec ${shellQuote(process.execPath)} ${shellQuote(binPath)} "$@"\n`);
  chmodSync(join(bin, 'postdump'), 0o755);
  const script = block.examples.map((e, i) => `( ${e.command}\n) >.out${i} 2>&1; echo $? >.status${i}`).join('\n');
  runShell(script, { cwd: dir, env: { PATH: `${bin}:${process.env.PATH ?? ''}` } });
  return block.examples.map((_, i) => ({
    status: Number(readFileSync(join(dir, `.status${i}`), 'utf8')),
    output: readFileSync(join(dir, `.out${i}`), 'utf8'),
  }));
}

function missingTool(block: Block): string | null {
  const text = block.examples.map((e) => e.command).join('\n');
  for (const tool of ['jq', 'mlr', 'parallel']) if (new RegExp(`(^|\\|)\\s*${tool}\\s`, 'm').test(text) && !hasCommand(tool)) return tool;
  return null;
}

const allowed = (command: string): number[] => (command.startsWith('postdump check') ? [0, 1] : [0]);

describe('README', () => {
  const consoleBlocks = blocks('console');
  const shellBlocks = blocks('sh');

  it('has examples to run: console blocks with output, and shell blocks that use fixtures/', () => {
    expect(consoleBlocks.length).toBeGreaterThanOrEqual(15);
    expect(shellBlocks.length).toBeGreaterThanOrEqual(7);
    for (const block of consoleBlocks) expect(block.examples.length, `console block at line ${block.line}`).toBeGreaterThan(0);
  });

  it.for(consoleBlocks.map((block) => [block.line, block] as const))('the console block at line %i prints what it shows', ([, block], ctx) => {
    const tool = missingTool(block);
    ctx.skip(tool !== null, `${tool} is not installed`);
    runBlock(block).forEach(({ status, output }, i) => {
      const { command, output: expected } = block.examples[i] as Example;
      const actual = output.replaceAll('\r\n', '\n').replace(/\n$/, '');
      expect(allowed(command), `$ ${command}\n${actual}`).toContain(status);
      expect(shows(expected ?? [], actual === '' ? [] : actual.split('\n')), `$ ${command}\nshown:\n${expected?.join('\n')}\nprinted:\n${actual}`).toBe(true);
    });
  });

  it.for(shellBlocks.map((block) => [block.line, block] as const))('every command of the sh block at line %i runs', ([, block], ctx) => {
    const tool = missingTool(block);
    ctx.skip(tool !== null, `${tool} is not installed`);
    runBlock(block).forEach(({ status, output }, i) => {
      const { command } = block.examples[i] as Example;
      expect(allowed(command), `${command}\n${output}`).toContain(status);
    });
  });

  it('gives the two quick-start commands as they are', () => {
    expect(readme).toContain('```sh\nnpm ci && npx postdump parse fixtures/seed.txt\nnpm test\n```');
  });

  it('has a section for every command, naming each of its flags', () => {
    for (const command of ['parse', 'convert', 'split', 'stats', 'check', 'schema']) {
      expect(readme).toContain(`### \`postdump ${command}\``);
      const flags = [...runCli([command, '--help']).stdout.matchAll(/^ {2}(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1] as string);
      expect(flags.filter((flag) => flag !== '--help' && !new RegExp(`${flag}(?![\\w-])`).test(readme))).toEqual([]);
    }
  });

  it('keeps the benchmark table between its markers, once', () => {
    expect(readme.match(/<!-- bench:start -->\n[\s\S]*?\n<!-- bench:end -->/g)).toHaveLength(1);
  });
});
