/**
 * The few styles postdump prints with, on one stream. chalk is loaded only when colour can be on
 * (a terminal, or FORCE_COLOR): output to a pipe, the common scripted case, does not pay its
 * start-up cost.
 */
export interface Palette {
  /** 0 when plain; chalk's levels 1–3 otherwise. */
  level: 0 | 1 | 2 | 3;
  redBold(text: string): string;
  yellowBold(text: string): string;
  cyan(text: string): string;
  bold(text: string): string;
  dim(text: string): string;
}

const same = (text: string): string => text;
export const PLAIN: Palette = { level: 0, redBold: same, yellowBold: same, cyan: same, bold: same, dim: same };

/** `--color`'s values: `auto` decides by the stream and the environment, the others whatever they say. */
export type ColorWhen = 'auto' | 'always' | 'never';
export const COLOR_CHOICES: readonly ColorWhen[] = ['auto', 'always', 'never'];

/**
 * `--color`'s value, read before commander parses the arguments, since commander's own errors are
 * coloured too: the last one given, before `--`; `auto` when there is none (or a bad value, which
 * commander then refuses).
 */
export function colorWhen(args: readonly string[]): ColorWhen {
  let when: ColorWhen = 'auto';
  for (let i = 0; i < args.length && args[i] !== '--'; i++) {
    const arg = args[i] as string;
    const value = arg === '--color' ? args[i + 1] : arg.startsWith('--color=') ? arg.slice('--color='.length) : undefined;
    const choice = COLOR_CHOICES.find((c) => c === value);
    if (choice !== undefined) when = choice;
  }
  return when;
}

/**
 * Colour for stderr (`which: 'stderr'`) or stdout. `--color always` or `never` wins over the
 * environment (as `ls --color` does); with `auto`, chalk's detection looks at the stream's TTY and
 * FORCE_COLOR but ignores NO_COLOR (measured: level 1 on a TTY with NO_COLOR=1), so NO_COLOR is
 * applied here.
 */
export async function palette(which: 'stdout' | 'stderr', isTTY: boolean, env: NodeJS.ProcessEnv, when: ColorWhen = 'auto'): Promise<Palette> {
  if (when === 'never') return PLAIN;
  const forced = when === 'always' || set(env, 'FORCE_COLOR');
  if (!forced && (set(env, 'NO_COLOR') || !isTTY)) return PLAIN;
  const { default: chalk, Chalk, chalkStderr } = await import('chalk');
  const detected = which === 'stderr' ? chalkStderr.level : chalk.level;
  // `always` on a pipe, where chalk detects no colour: the basic 16.
  const level = when === 'always' ? (Math.max(detected, 1) as 1 | 2 | 3) : colorLevel(env, detected);
  if (level === 0) return PLAIN;
  const c = new Chalk({ level });
  return { level, redBold: c.red.bold, yellowBold: c.yellow.bold, cyan: c.cyan, bold: c.bold, dim: c.dim };
}

/** A non-empty NO_COLOR turns colour off unless FORCE_COLOR asks for it (chalk read that into `detected`). */
export function colorLevel(env: NodeJS.ProcessEnv, detected: 0 | 1 | 2 | 3): 0 | 1 | 2 | 3 {
  return set(env, 'NO_COLOR') && !set(env, 'FORCE_COLOR') ? 0 : detected;
}

function set(env: NodeJS.ProcessEnv, name: string): boolean {
  return (env[name] ?? '') !== '';
}
