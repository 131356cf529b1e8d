import chalk, { Chalk, chalkStderr, type ChalkInstance } from 'chalk';

/**
 * Colour for stderr. chalk's own detection (`chalkStderr`) looks at stderr's TTY and FORCE_COLOR but
 * ignores NO_COLOR (measured: level 1 on a TTY with NO_COLOR=1), so NO_COLOR is applied here.
 */
export function stderrColor(env: NodeJS.ProcessEnv): ChalkInstance {
  return new Chalk({ level: colorLevel(env, chalkStderr.level) });
}

/** Colour for standard output (stats' chart, check's findings): chalk's own detection looks at stdout. */
export function stdoutColor(env: NodeJS.ProcessEnv): ChalkInstance {
  return new Chalk({ level: colorLevel(env, chalk.level) });
}

/** A non-empty NO_COLOR turns colour off unless FORCE_COLOR asks for it (chalk read that into `detected`). */
export function colorLevel(env: NodeJS.ProcessEnv, detected: 0 | 1 | 2 | 3): 0 | 1 | 2 | 3 {
  const set = (name: string): boolean => (env[name] ?? '') !== '';
  return set('NO_COLOR') && !set('FORCE_COLOR') ? 0 : detected;
}
