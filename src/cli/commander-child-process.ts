import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { createRequire } from 'node:module';

/**
 * What the CLI bundle gives commander for `node:child_process` (package.json's build:cli aliases
 * it): commander loads the module when it starts, for executable subcommands, which postdump has
 * none of; here it is loaded only if one is run (3 ms of every start, measured).
 */
export function spawn(command: string, args: readonly string[], options: SpawnOptions): ChildProcess {
  const childProcess = createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process');
  return childProcess.spawn(command, args, options);
}
