/**
 * Encodings end to end (SPEC §7): `postdump parse` on the encoding fixtures and on inputs larger
 * than the CLI's 1 MiB read chunk whose multi-byte characters straddle the chunk boundaries, from
 * files and from stdin, gives the records of the UTF-8 original.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runShell, shellQuote, stderrLines } from './helpers/cli.js';

const iconv = createRequire(import.meta.url)('iconv-lite') as typeof Iconv;
const dir = mkdtempSync(join(tmpdir(), 'postdump-encoding-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MiB = 1024 * 1024;

/** JSON Lines output with every record's source set to `source`. */
const withSource = (jsonl: string, source: string): string => jsonl.replace(/"source":"(?:[^"\\]|\\.)*"/g, `"source":${JSON.stringify(source)}`);

function expectClean(r: { status: number | null; stderr: string }): void {
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
}

/** JSON Lines output split by each record's source: one run can read an original and its variants. */
function bySource(jsonl: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of jsonl.split('\n').filter((l) => l !== '')) {
    const { source } = JSON.parse(line) as { source: string };
    out.set(source, `${out.get(source) ?? ''}${line}\n`);
  }
  return out;
}

const FIXTURES = [
  ['dump.txt', 'dump.gb18030.txt'],
  ['dump.txt', 'dump.utf16le.txt'],
  ['dump.txt', 'dump.utf16be.txt'],
  ['dump.txt', 'dump.utf8-bom.txt'],
  ['dump.txt', 'dump.crlf.txt'],
  ['gbk.txt', 'gbk.gbk.txt'],
].map(([original, variant]) => [`fixtures/encodings/${original}`, `fixtures/encodings/${variant}`] as const);

describe('postdump parse on the encoding fixtures', () => {
  let records: Map<string, string>;
  beforeAll(() => {
    const r = runCli(['parse', 'fixtures/encodings/dump.txt', 'fixtures/encodings/gbk.txt', ...FIXTURES.map(([, v]) => v), '-f', 'jsonl']);
    expectClean(r);
    records = bySource(r.stdout);
  });

  it.each(FIXTURES)('%s as %s, from the file: the same records', (original, variant) => {
    expect(records.get(original)?.split('\n').length).toBeGreaterThan(2);
    expect(records.get(variant)).toBe(withSource(records.get(original) ?? '', variant));
  });

  it.each(FIXTURES)('%s as %s, from stdin: the same records', (original, variant) => {
    const r = runCli(['parse', '-f', 'jsonl'], { input: readFileSync(variant) });
    expectClean(r);
    expect(r.stdout).toBe(withSource(records.get(original) ?? '', '-'));
  });
});

/**
 * A UTF-8 dump of many posts, and its bytes in `encoding`, where an astral character straddles
 * each boundary: it starts `before` bytes ahead of it.
 */
function straddling(encoding: string, bom: boolean, cuts: (readonly [boundary: number, before: number])[]): { text: string; bytes: Buffer } {
  const size = (text: string): number => iconv.encode(text, encoding).length;
  const post = (n: number): string =>
    `多任务学习漫谈(${n}):以损失之名\nBy 苏剑林 | 2022-01-18 | ${n}位读者 | 引用能提升模型性能的方法有很多,多任务学习也是其中一种。Nyström的ö、点乘⋅和扩展B区的𠀀都是四字节字符。\n${'加权求和的方式将它转化为单任务学习。'.repeat(20)}\n`;
  let text = '';
  let length = bom ? 2 : 0;
  let n = 0;
  const add = (piece: string): void => {
    text += piece;
    length += size(piece);
  };
  for (const [boundary, before] of cuts) {
    while (length + size(post(n)) < boundary - 8192) add(post(n++));
    add(`跨块的字符\nBy 苏剑林 | 2023-01-01 | ${n}位读者 | 引用`);
    // An ASCII letter is one byte in GB18030, two in UTF-16.
    add('a'.repeat((boundary - before - length) / (encoding === 'gb18030' ? 1 : 2)));
    add('😀后文\n');
  }
  text += `${post(n)}最近评论\n`;
  const bytes = iconv.encode(text, encoding, { addBOM: bom });
  const emoji = iconv.encode('😀', encoding);
  for (const [boundary, before] of cuts) expect(bytes.subarray(boundary - before, boundary - before + 4)).toEqual(emoji);
  return { text, bytes };
}

describe.each([
  ['gb18030', false, 1, 3],
  ['utf16le', true, 2, 2],
  ['utf16be', true, 2, 2],
])('an input over the 1 MiB read chunk in %s (BOM %s), a character cut %i bytes into it at 1 MiB and %i at 2 MiB', (encoding, bom, first, second) => {
  const original = join(dir, `original-${encoding}.txt`);
  const encoded = join(dir, `encoded-${encoding}.txt`);
  it('gives the records of its UTF-8 original, from the file and from stdin (a pipe: 64 KiB pieces)', () => {
    const { text, bytes } = straddling(encoding, bom, [
      [MiB, first],
      [2 * MiB, second],
    ]);
    writeFileSync(original, text);
    writeFileSync(encoded, bytes);
    const r = runCli(['parse', original, encoded, '-f', 'jsonl']);
    expectClean(r);
    const records = bySource(r.stdout);
    const expected = records.get(original) ?? '';
    expect(expected.split('\n').length).toBeGreaterThan(200);
    expect(expected).toContain('😀后文');
    expect(records.get(encoded)).toBe(withSource(expected, encoded));
    const piped = runShell(`cat ${shellQuote(encoded)} | postdump parse -f jsonl`);
    expectClean(piped);
    expect(piped.stdout).toBe(withSource(expected, '-'));
  });
});

describe('naming the encoding', () => {
  it('--encoding gbk, gb18030 and utf-16le read their fixtures', () => {
    const expected = runCli(['parse', 'fixtures/encodings/dump.txt', '-f', 'jsonl']).stdout;
    for (const [name, file] of [
      ['gb18030', 'dump.gb18030.txt'],
      ['GBK', 'dump.gb18030.txt'],
      ['utf-16le', 'dump.utf16le.txt'],
      ['UTF-16BE', 'dump.utf16be.txt'],
    ] as const) {
      const r = runCli(['parse', `fixtures/encodings/${file}`, '--encoding', name, '-f', 'jsonl']);
      expectClean(r);
      expect(r.stdout).toBe(withSource(expected, `fixtures/encodings/${file}`));
    }
  });

  it('a name only iconv-lite knows (cp437) works', () => {
    const dump = 'Caf\x82 \x9c\nBy Jianlin Su | 2024-02-29 | 99 readers | Na\x8bve text.\n';
    const file = join(dir, 'cp437.txt');
    writeFileSync(file, Buffer.from(dump, 'latin1'));
    const r = runCli(['parse', file, '--encoding', 'cp437', '-f', 'jsonl']);
    expectClean(r);
    expect(JSON.parse(r.stdout)).toMatchObject({ title: 'Café £', author: 'Jianlin Su', readers: 99, excerpt: 'Naïve text.' });
  });

  it('an unknown name is a usage error (exit 2) that lists valid names', () => {
    const r = runCli(['parse', 'fixtures/seed.txt', '--encoding', 'klingon']);
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 2, stdout: '' });
    expect(stderrLines(r.stderr)).toEqual([
      'postdump: error: unknown encoding "klingon" (try auto, utf-8, gb18030, gbk, big5, utf-16le, utf-16be, shift_jis, windows-1252, cp437)',
    ]);
  });

  it('bytes no guess fits are one clear error line (exit 1) that suggests --encoding', () => {
    const file = join(dir, 'bad.txt');
    writeFileSync(file, Buffer.from([0x41, 0xff, 0xfe, 0xfd, 0x0a]));
    const r = runCli(['parse', file]);
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 1, stdout: '' });
    expect(stderrLines(r.stderr)).toEqual([`postdump: error: ${file}: not valid UTF-8 or GB18030; name its encoding with --encoding, e.g. --encoding big5`]);
  });
});
