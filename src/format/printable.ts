/**
 * Text from an input (a title, an author, a file name) as it may be shown to a person on a terminal:
 * a character that a terminal would act on instead of showing is written as an escape, as ripgrep
 * and `ls` do. A title `T \e]0;PWNED\a` would retitle the window; `a\e[2J` would clear the screen; a
 * file name with a newline would forge a second message line; U+202E would reverse what follows.
 *
 * - C0 controls, DEL and C1 controls: `\a \b \t \n \v \f \r \e` where C has a name for them, else
 *   `\x00` to `\x1f`, `\x7f`, `\x80` to `\x9f`;
 * - bidirectional controls (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069) and the line and
 *   paragraph separators U+2028, U+2029: `\u202e`.
 *
 * Data outputs (JSON, CSV, Markdown, notes) keep the text as it is; only what is printed for a
 * person goes through here (diagnostics, `check` and `stats` text).
 */

const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Readonly<Record<string, string>> = {
  '\u0007': '\\a',
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\v': '\\v',
  '\f': '\\f',
  '\r': '\\r',
  '\u001b': '\\e',
};

/** `text` with every character a terminal would act on written as an escape. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, escapeSequence);
}

/**
 * A file name in a message: as it is when nothing in it needs an escape; else in double quotes, with
 * `\` and `"` escaped as well, so that the quoted name reads back exactly: `"a\nb.txt"`.
 */
export function quotedName(name: string): string {
  UNPRINTABLE.lastIndex = 0;
  if (!UNPRINTABLE.test(name)) return name;
  return `"${printable(name.replace(/[\\"]/g, '\\$&'))}"`;
}

/** One character as C writes it in a string, as YAML's double-quoted style reads it too: `\e`, `\x9b`, `\u202e`. */
export function escapeSequence(c: string): string {
  const code = c.charCodeAt(0);
  return NAMED[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}
