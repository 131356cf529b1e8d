import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

/** The repository root and the built CLI's entry point. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const binPath = fileURLToPath(new URL('../../bin/postdump.js', import.meta.url));
export const seedPath = fileURLToPath(new URL('../../fixtures/seed.txt', import.meta.url));

export interface RunOptions {
  /** Bytes or text fed to stdin; without it stdin is empty (closed at once). */
  input?: string | Uint8Array;
  /** Extra environment; a value of `undefined` removes the variable. */
  env?: Record<string, string | undefined>;
  /** Working directory; defaults to the repository root. */
  cwd?: string;
  /** Milliseconds after which the child is killed (SIGKILL: a busy process may not see SIGTERM), for a test of something that used to hang. */
  timeout?: number;
}

export interface RunResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stdoutBytes: Buffer;
  stderr: string;
}

/**
 * The environment of a child: the test's own, minus anything that would colour or otherwise
 * change output, plus NO_COLOR=1, then the caller's overrides (`undefined` deletes).
 */
export function childEnv(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['FORCE_COLOR', 'NO_COLOR', 'NODE_OPTIONS', 'CI', 'COLORTERM']) delete env[name];
  env.NO_COLOR = '1';
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/** Runs `node bin/postdump.js ...args` to completion. */
export function runCli(args: readonly string[], options: RunOptions = {}): RunResult {
  return run(process.execPath, [binPath, ...args], childEnv(options.env), options);
}

/**
 * Runs a `bash -c` script (pipelines such as `postdump parse big.txt | head -1`); in it, the shell
 * function `postdump` runs the built CLI (`node bin/postdump.js`).
 */
export function runShell(script: string, options: RunOptions = {}): RunResult {
  const env = { ...childEnv(options.env), POSTDUMP_NODE: process.execPath, POSTDUMP_BIN: binPath };
  return run('bash', ['-c', `postdump() { "$POSTDUMP_NODE" "$POSTDUMP_BIN" "$@"; }\n${script}`], env, options);
}

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv, options: RunOptions): RunResult {
  const result = spawnSync(command, args, {
    cwd: options.cwd ?? repoRoot,
    env,
    input: options.input ?? '',
    maxBuffer: 512 * 1024 * 1024,
    ...(options.timeout === undefined ? {} : { timeout: options.timeout, killSignal: 'SIGKILL' as const }),
  });
  if (result.error) throw result.error;
  return {
    status: result.status,
    signal: result.signal,
    stdout: result.stdout.toString('utf8'),
    stdoutBytes: result.stdout,
    stderr: result.stderr.toString('utf8'),
  };
}

/** Starts the CLI without waiting, for tests that signal it or feed it over time. */
export function startCli(args: readonly string[], options: Omit<RunOptions, 'input'> = {}): ChildProcess {
  return spawn(process.execPath, [binPath, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: childEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Single-quotes a word for bash. */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** True when a command is on PATH. */
export function hasCommand(name: string): boolean {
  return spawnSync('bash', ['-c', `command -v ${shellQuote(name)}`], { stdio: 'ignore' }).status === 0;
}

/** Lines of stderr (without the final newline's empty piece). */
export function stderrLines(stderr: string): string[] {
  return stderr === '' ? [] : stderr.replace(/\n$/, '').split('\n');
}

/** An expected failure shows its one line, never a stack trace or a JavaScript error's name and place. */
export function expectNoStackTrace(stderr: string): void {
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr).not.toMatch(/internal error/);
  expect(stderr).not.toMatch(/\b(TypeError|RangeError|ReferenceError|SyntaxError|Error):/);
  expect(stderr).not.toMatch(/node:internal|\.(c?js|ts):\d+/);
}
