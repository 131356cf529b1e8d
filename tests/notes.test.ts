/** split's pieces: safe file names (src/output/file-names.ts) and the note text with YAML front matter (src/format/front-matter.ts). */
import { Buffer } from 'node:buffer';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { noteText } from '../src/format/front-matter.js';
import { cleanName, fitName, MAX_NAME_BYTES, UniqueNames } from '../src/output/file-names.js';
import { parse, type Post } from '../src/index.js';

const WINDOWS_FORBIDDEN = /[<>:"/\\|?*\u0000-\u001f\u007f]/u;
const RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/iu;

/** No lone surrogate (ES2024's isWellFormed, which this target lacks). */
const wellFormed = (s: string): boolean => !/[\uD800-\uDFFF]/u.test(s);

/** Every rule of the issue and SPEC §8 for one file name. */
function expectSafe(name: string): void {
  expect(name).not.toMatch(WINDOWS_FORBIDDEN);
  expect(name).not.toMatch(/[\u0080-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/u);
  expect(name).not.toContain('..');
  expect(name.startsWith('.')).toBe(false);
  expect(name).not.toMatch(/[ .]$/u);
  expect(name).not.toMatch(RESERVED);
  expect(name).not.toBe('');
  expect(Buffer.byteLength(name)).toBeLessThanOrEqual(MAX_NAME_BYTES);
  expect(wellFormed(name)).toBe(true);
}

describe('cleanName', () => {
  it.each([
    ['../../escape', 'escape'],
    ['/etc/passwd', 'etc passwd'],
    ['..\\..\\windows\\system32', 'windows system32'],
    ['a<b>c:d"e|f?g*h', 'a b c d e f g h'],
    ['tab\tinside and trailing dots...', 'tab inside and trailing dots'],
    ['右到左\u202etxt.exe', '右到左 txt.exe'],
    ['.hidden', 'hidden'],
    ['...', 'untitled'],
    ['', 'untitled'],
    ['a..b', 'a.b'],
    ['生成扩散模型漫谈(一):DDPM = 拆楼 + 建楼', '生成扩散模型漫谈(一) DDPM = 拆楼 + 建楼'],
    ['CON', '_CON'],
    ['nul.txt', '_nul.txt'],
    ['com1', '_com1'],
    ['LPT9.md', '_LPT9.md'],
    ['CONSOLE', 'CONSOLE'],
  ])('%j → %j', (text, name) => {
    expect(cleanName(text)).toBe(name);
  });

  it('applies the reserved-name rule to the prefixed name', () => {
    expect(cleanName('CON', '2021-01-01-')).toBe('2021-01-01-CON');
    expect(cleanName('x', 'AUX.')).toBe('_AUX.x');
  });

  it('NFC: a decomposed é and a composed é give the same name', () => {
    expect(cleanName('Cafe\u0301')).toBe(cleanName('Café'));
  });
});

describe('fitName and UniqueNames', () => {
  it('cuts a long stem between characters to fit 200 bytes with its suffix and extension', () => {
    const stem = '很长的标题'.repeat(40) + '😀'.repeat(10);
    const name = fitName(stem, '-12', '.md');
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(200);
    expect(Buffer.byteLength(name)).toBeGreaterThan(195);
    expect(name.endsWith('-12.md')).toBe(true);
    expect(wellFormed(name)).toBe(true);
    expect(wellFormed(fitName('😀'.repeat(100), '', '.md'))).toBe(true);
  });

  it('a clash gets -2, -3; names differing only in case or normalisation clash too', () => {
    const names = new UniqueNames();
    expect(['Same', 'Same', 'SAME', 'Cafe\u0301', 'Café', 'Same-2'].map((s) => names.name(s, '.md'))).toEqual([
      'Same.md',
      'Same-2.md',
      'SAME-3.md',
      'Cafe\u0301.md',
      'Café-2.md',
      'Same-2-2.md',
    ]);
  });

  it('property: any text gives a safe name, and any number of texts give distinct names (ignoring case)', () => {
    const nasty = fc.constantFrom(
      '/',
      '\\',
      '..',
      '.',
      ':',
      '*',
      '?',
      '"',
      '<',
      '>',
      '|',
      '\u0000',
      '\u001f',
      '\u007f',
      '\u0085',
      '\u202e',
      ' ',
      '\t',
      'CON',
      'nul',
      'com1',
      '中',
      '😀',
      'é',
      'e\u0301',
      'A',
      'a',
    );
    const text = fc.oneof(
      fc.string({ unit: nasty, maxLength: 120 }),
      fc.string({ unit: 'grapheme', maxLength: 150 }),
      fc.string({ unit: 'binary', maxLength: 300 }),
    );
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 20 }), fc.boolean(), (texts, dated) => {
        const names = new UniqueNames();
        const given = texts.map((t) => names.name(cleanName(t, dated ? '2021-01-22-' : ''), '.md'));
        for (const name of given) {
          expectSafe(name);
          expect(name.endsWith('.md')).toBe(true);
        }
        expect(new Set(given.map((n) => n.normalize('NFC').toLowerCase())).size).toBe(given.length);
      }),
      { numRuns: 200, seed: 5 },
    );
  });

  it('property: each name is the first free one of -2, -3, ... (what a search from the start gives), long stems cut alike', () => {
    const stem = fc.oneof(
      fc.constantFrom('a', 'A', 'a-2', 'a-3', 'a-2-2', 'b'),
      // Long stems that fitName cuts to the same first choice.
      fc.tuple(fc.constantFrom('x', 'X'), fc.nat(3)).map(([c, n]) => `${c.repeat(MAX_NAME_BYTES)}${n}`),
    );
    fc.assert(
      fc.property(fc.array(stem, { maxLength: 40 }), (stems) => {
        const names = new UniqueNames();
        const taken = new Set<string>();
        for (const s of stems) {
          let n = 1;
          while (taken.has(fitName(s, n === 1 ? '' : `-${n}`, '.md').toLowerCase())) n++;
          const expected = fitName(s, n === 1 ? '' : `-${n}`, '.md');
          taken.add(expected.toLowerCase());
          expect(names.name(s, '.md')).toBe(expected);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('noteText', () => {
  const seed = parse(readFileSync(new URL('../fixtures/seed.txt', import.meta.url)), { source: 'fixtures/seed.txt' }).posts;
  const diffusion = { ...(seed.at(-1) as Post), series: '生成扩散模型漫谈', part: 1 };

  it('golden: the seed’s last post as a note', async () => {
    await expect(noteText(diffusion)).toMatchFileSnapshot('../fixtures/commands/golden/note.md');
  });

  it('front matter: the issue’s keys in order, the date a plain scalar, values read back by a YAML parser', () => {
    const text = noteText(diffusion);
    const front = /^---\n([\s\S]*?)---\n/u.exec(text)?.[1] ?? '';
    expect(front).toMatch(/^date: 2022-06-13$/mu);
    const data = parseYaml(front) as Record<string, unknown>;
    expect(Object.keys(data)).toEqual(['title', 'author', 'date', 'readers', 'url', 'id', 'series', 'part', 'tags']);
    expect(data).toEqual({
      title: diffusion.title,
      author: '苏剑林',
      date: '2022-06-13',
      readers: 379908,
      url: null,
      id: null,
      series: '生成扩散模型漫谈',
      part: 1,
      tags: [],
    });
  });

  it('the body is the excerpt as -f md writes it: paragraphs apart, LaTeX untouched, markup escaped', () => {
    const text = noteText({ ...diffusion, excerpt: 'one <eos> *x*\n$a*b$ two' });
    expect(text.endsWith('---\n\none \\<eos\\> \\*x\\*\n\n$a*b$ two\n')).toBe(true);
    expect(noteText({ ...diffusion, excerpt: '' }).endsWith('tags: []\n---\n')).toBe(true);
  });

  it('property: any title, author, url and tags read back unchanged (YAML 1.2), and no string is left plain (YAML 1.1 safety)', () => {
    const str = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.constantFrom(
        'on',
        'yes',
        'No',
        'null',
        '~',
        '1e3',
        '0o12',
        '012',
        '2021-01-22',
        '- x',
        '? x',
        ': x',
        '#x',
        '&a',
        '*a',
        '!t',
        '%x',
        '@x',
        '`x',
        '"q": yes',
        "'",
        '---',
        '...',
        ' lead',
        'trail ',
        'a\nb',
      ),
    );
    fc.assert(
      fc.property(str, str, fc.option(str, { nil: null }), fc.array(str, { maxLength: 3 }), (title, author, url, tags) => {
        const text = noteText({ ...diffusion, title, author, url, tags });
        expect(text.startsWith('---\n')).toBe(true);
        const front = text.slice(4, text.indexOf('\n---\n') + 1);
        const data = parseYaml(front) as Record<string, unknown>;
        expect({ title: data.title, author: data.author, url: data.url, tags: data.tags }).toEqual({ title, author, url, tags });
        for (const line of front.split('\n')) {
          if (/^(title|author|url|series): /u.test(line) && !line.endsWith(': null')) expect(line).toMatch(/^\w+: "/u);
        }
      }),
      { numRuns: 300, seed: 9 },
    );
  });

  it('property: hostile titles (DEL, C1 controls, U+0085, U+FFFE, U+FFFF, separators, lone surrogates) read back exactly by the yaml package (YAML 1.2) and by PyYAML (YAML 1.1)', () => {
    const hostile = fc.constantFrom(
      '\u007f',
      '\u0080',
      '\u0085',
      '\u009b',
      '\u009f',
      '\ufffe',
      '\uffff',
      '\ufeff',
      '\u2028',
      '\u2029',
      '\ud800',
      '\udfff',
      '\u0000',
      '\u001b',
      '\n',
      '"',
      '\\',
      ' ',
      'a',
      '中',
      '😀',
    );
    const title = fc.oneof(
      fc.array(hostile, { maxLength: 12 }).map((units) => units.join('')),
      fc.string({ unit: 'binary', maxLength: 20 }),
    );
    const titles = fc.sample(title, { numRuns: 400, seed: 16 });
    const fronts = titles.map((t) => {
      const text = noteText({ ...diffusion, title: t });
      return text.slice(4, text.indexOf('\n---\n') + 1);
    });
    expect(fronts.map((front) => (parseYaml(front) as { title: string }).title)).toEqual(titles);
    // Debian's python3-yaml (.ci/run installs it): every note at once, titles back as JSON.
    const python = spawnSync(
      '/usr/bin/python3',
      ['-c', 'import json, sys, yaml\nprint(json.dumps([yaml.safe_load(doc)["title"] for doc in json.load(sys.stdin)]))'],
      { input: JSON.stringify(fronts), encoding: 'utf8' },
    );
    expect(python.stderr).toBe('');
    expect(JSON.parse(python.stdout)).toEqual(titles);
  });
});
