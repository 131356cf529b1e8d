/**
 * Nothing from an input reaches a person's terminal raw (issue 16, items 10 and 11): control
 * characters and bidirectional controls in titles, authors, details and file names are escaped in
 * diagnostics, `check` and `stats` text and commander's errors; a file name that needs escapes is
 * quoted. Data outputs keep the text as it is.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { printable, quotedName } from '../src/format/printable.js';
import { runCli, stderrLines } from './helpers/cli.js';
import { temporaryFolders } from './helpers/workspace.js';

const folder = temporaryFolders('terminal');

/** What a terminal acts on: C0, DEL, C1, bidirectional controls, line and paragraph separators. */
const ACTIVE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

/** Reads an escape sequence of `printable` back (the README's table, in code). */
const readBack = (text: string): string =>
  text.replace(/\\(?:([abtnvfre\\"])|x([0-9a-f]{2})|u([0-9a-f]{4}))/g, (_m, named: string | undefined, x: string | undefined, u: string | undefined) => {
    if (named !== undefined) return { a: '\u0007', b: '\b', t: '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\u001b', '\\': '\\', '"': '"' }[named] as string;
    return String.fromCharCode(Number.parseInt((x ?? u) as string, 16));
  });

describe('printable and quotedName', () => {
  it('shows each active character as its escape, and every other character as it is', () => {
    expect(printable('T \u001b]0;PWNED\u0007 a\u001b[2J\tb\nc\r\u0000\u007f\u0085\u009b\u202e\u2066\u061c\u200f\u2028')).toBe(
      'T \\e]0;PWNED\\a a\\e[2J\\tb\\nc\\r\\x00\\x7f\\x85\\x9b\\u202e\\u2066\\u061c\\u200f\\u2028',
    );
    expect(printable('生成扩散模型漫谈(一) \\mathcal{L} ｜ é 😀 \u00a0\u200b')).toBe('生成扩散模型漫谈(一) \\mathcal{L} ｜ é 😀 \u00a0\u200b');
  });

  it('for every UTF-16 code unit: an active one is escaped, any other kept', () => {
    const wrong = [];
    for (let c = 0; c <= 0xffff; c++) {
      const ch = String.fromCharCode(c);
      const shown = printable(ch);
      if (ACTIVE.test(ch) ? readBack(shown) !== ch || shown === ch : shown !== ch) wrong.push([c.toString(16), shown]);
    }
    expect(wrong).toEqual([]);
  });

  it('property: a quoted name holds nothing active and reads back as the name; a plain name is left alone', () => {
    const unit = fc.oneof(fc.constantFrom('\n', '\u001b', '\\', '"', '\u202e', '\u0085', 'a', ' ', '中', '\t'), fc.string({ unit: 'binary', maxLength: 1 }));
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 20 }), (units) => {
        const name = units.join('');
        const quoted = quotedName(name);
        const back = ACTIVE.test(name) ? readBack(quoted.slice(1, -1)) : quoted;
        return !ACTIVE.test(quoted) && back === name;
      }),
    );
  });
});

describe('the CLI', () => {
  const title = 'T \u001b]0;PWNED\u0007';
  const author = 'a\u001b[2J';
  const dump = `${title}\nBy ${author} | 2021-01-01 | 5位读者 | 引用x\u009b1m\nBy b | 2021-13-45\u001b[31m | 1位读者 |\n`;

  it('stats text escapes titles and authors; --json keeps them', () => {
    const text = runCli(['stats', '-'], { input: dump });
    expect(text.stdout).not.toMatch(/[\u001b\u0007\u009b]/u);
    expect(text.stdout).toContain('a\\e[2J');
    expect(text.stdout).toContain('T \\e]0;PWNED\\a');
    const json = JSON.parse(runCli(['stats', '-', '--json'], { input: dump }).stdout);
    expect(json.authors[0].name).toBe(author);
    expect(json.readers.top[0].title).toBe(title);
  });

  it('diagnostics on stderr and check’s text escape the input’s text; check --json and the records keep it', () => {
    const parsed = runCli(['parse', '-f', 'jsonl'], { input: dump });
    expect(JSON.parse(parsed.stdout)).toMatchObject({ title, author, excerpt: 'x\u009b1m\nBy b | 2021-13-45\u001b[31m | 1位读者 |' });
    expect(stderrLines(parsed.stderr)).toEqual([
      'postdump: warning: -:3: line looks like a post header but its date "2021-13-45\\e[31m" is not a real YYYY-MM-DD date; kept as excerpt text',
    ]);
    const check = runCli(['check', '-'], { input: dump });
    expect(check.stdout).not.toMatch(/[\u001b\u0007\u009b]/u);
    expect(check.stdout).toContain('"2021-13-45\\e[31m"');
    expect(JSON.parse(runCli(['check', '-', '--json'], { input: dump }).stdout)[0].detail).toBe(
      'its date "2021-13-45\u001b[31m" is not a real YYYY-MM-DD date',
    );
  });

  it('a file name with a newline is quoted: one message line, not a forged second one', () => {
    const dir = folder();
    const name = 'a\npostdump: error: b.txt';
    writeFileSync(join(dir, name), `${title}\nBy b | 2021-13-45 | 1位读者 |\n`);
    const r = runCli(['parse', name, join(dir, 'missing\u001bc\u0007.txt')], { cwd: dir });
    expect(stderrLines(r.stderr)).toEqual([
      'postdump: warning: "a\\npostdump: error: b.txt":2: line looks like a post header but its date "2021-13-45" is not a real YYYY-MM-DD date; kept as excerpt text',
      'postdump: error: "a\\npostdump: error: b.txt": no post found (a post is a title line followed by a "By <author> | <date> | <N>位读者" header)',
      `postdump: error: "${join(dir, 'missing\\ec\\a.txt')}": no such file`,
    ]);
  });

  it('commander’s errors, which echo the arguments, are escaped', () => {
    const r = runCli(['parse', '--top\u001b[2J']);
    expect(r.status).toBe(2);
    expect(r.stderr).not.toMatch(/\u001b/u);
    expect(r.stderr).toContain("unknown option '--top\\e[2J'");
  });
});
