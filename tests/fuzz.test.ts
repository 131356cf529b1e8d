/**
 * Mutation fuzzing (issue 6): every fixture input (text dumps, saved pages, encoded variants) as a seed,
 * mutated by byte flips, NULs, lone CRs, header and HTML fragments, broken UTF-8, deletions, copies,
 * truncation and re-encoding, then read by the library and by the CLI. Whatever the bytes:
 *
 * - no exception but a PostdumpError (exit status 1) for unreadable input; no stack trace, ever;
 * - every record valid (title, author, real date, integer-or-null readers, ...), every diagnostic one line;
 * - the same result however the bytes are chunked, and from the decoded string as from the bytes;
 * - for a text dump, conservation: every line in exactly one post span or skipped range;
 * - the CLI prints exactly the library's records and diagnostics, exits 0 or 1.
 *
 * fast-check's seeds are fixed, so CI runs the same cases every time. An input that ever broke one of
 * these is kept in fixtures/fuzz/ and checked the same way on every run.
 */
import { Buffer, isUtf8 } from 'node:buffer';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextDecoder } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cliMessage } from '../src/cli/hints.js';
import { location } from '../src/diagnostics.js';
import { parse, parseStream, PostdumpError, type Diagnostic, type ParseResult, type Post } from '../src/index.js';
import { expectNoStackTrace, repoRoot, runCli, runShell, shellQuote, stderrLines } from './helpers/cli.js';
import { unaccounted } from './helpers/conservation.js';
import { iconv } from './helpers/encodings.js';
import { readCsv, readJsonLines } from './helpers/read-back.js';
import { diagnosticProblems, recordProblems } from './helpers/records.js';
import { filesBelow, fixtureInputs, temporaryFolders } from './helpers/workspace.js';

const tempDir = temporaryFolders('fuzz');
const REGRESSIONS = 'fixtures/fuzz';

interface Seed {
  path: string;
  bytes: Buffer;
}

const seeds: Seed[] = fixtureInputs()
  .filter((path) => !path.startsWith(`${REGRESSIONS}/`))
  .map((path) => ({ path, bytes: readFileSync(join(repoRoot, path)) }));
const isPage = (path: string): boolean => /\.html?$/u.test(path);
const textSeeds = seeds.filter((s) => !isPage(s.path));
const pageSeeds = seeds.filter((s) => isPage(s.path));

// ---------------------------------------------------------------------------------------------------
// Mutations

const utf8 = (s: string): Uint8Array => Buffer.from(s, 'utf8');
const FRAGMENTS: Uint8Array[] = [
  Uint8Array.of(0),
  Uint8Array.of(0x0d),
  Uint8Array.of(0x0a),
  Uint8Array.of(0x0d, 0x0a),
  // Broken UTF-8: a stray continuation, a cut three-byte character, an overlong form, a byte no UTF-8 has.
  Uint8Array.of(0x80),
  Uint8Array.of(0xe4, 0xbd),
  Uint8Array.of(0xc0, 0xaf),
  Uint8Array.of(0xff),
  // GB18030's four-byte 𠀀, a lone UTF-16 BOM.
  Uint8Array.of(0x95, 0x32, 0x82, 0x36),
  Uint8Array.of(0xff, 0xfe),
  ...[
    'By ',
    ' | ',
    '｜',
    '位读者',
    '81,957',
    ' readers |',
    '2021-13-45',
    '2020-02-29',
    '2021-1-5',
    '引用',
    '\u00a0',
    '\u3000',
    '\u2003',
    '\ufeff',
    '\u2028',
    '😀',
    '最近评论\n',
    '\n« 1 2 3 »\n',
    'By 苏剑林 | 2021-01-22 | 81957位读者 | 引用',
    '\nBy Jianlin Su | 2026-03-19 | 5246 readers |\n',
    '\nTitle\nBy 苏剑林 | 2021-01-22 | 99999999999999999999位读者 |\n',
    '<!DOCTYPE html><html><body>',
    '<div class="Post"><h2><a href="/archives/8128">T</a></h2><span class="submitted">By 苏剑林 | 2021-01-22 | 5位读者</span><p>x</p></div>',
    '<div class="Post">',
    '</div>',
    '<span class="submitted">',
    '<div id="PostContent">',
    '<script type="math/tex">',
    '</script>',
    '<!--',
    '-->',
    '<!--more-->',
    '<meta charset="gbk">',
    '<meta charset="utf-16">',
    '<a href="javascript:alert(1)">',
    '<a href="//evil.example/archives/99999999999999999999">',
    '&#0;',
    '&#xD800;',
    '&amp;',
    '<br>',
    '<pre>',
    '<table><tr><td>',
  ].map(utf8),
];
const REENCODINGS = ['utf-16le', 'utf-16be', 'utf-16le-nobom', 'gb18030', 'utf-8-bom', 'crlf', 'cr'] as const;

type Mutation =
  | { op: 'flip'; at: number; bit: number }
  | { op: 'byte'; at: number; value: number }
  | { op: 'insert'; at: number; bytes: Uint8Array }
  | { op: 'delete'; at: number; length: number }
  | { op: 'copy'; at: number; length: number; to: number }
  | { op: 'truncate'; at: number }
  | { op: 'repeat'; times: number }
  | { op: 'reencode'; as: (typeof REENCODINGS)[number] };

const fraction = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ op: fc.constant('flip' as const), at: fraction, bit: fc.integer({ min: 0, max: 7 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('byte' as const), at: fraction, value: fc.integer({ min: 0, max: 255 }) }) },
  { weight: 6, arbitrary: fc.record({ op: fc.constant('insert' as const), at: fraction, bytes: fc.constantFrom(...FRAGMENTS) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('delete' as const), at: fraction, length: fc.integer({ min: 1, max: 200 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('copy' as const), at: fraction, length: fc.integer({ min: 1, max: 600 }), to: fraction }) },
  // Cut in the second half: a dump that ends mid-post, mid-line or mid-character, rarely an empty one.
  { weight: 1, arbitrary: fc.record({ op: fc.constant('truncate' as const), at: fraction.map((f) => 0.5 + f / 2) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('reencode' as const), as: fc.constantFrom(...REENCODINGS) }) },
  // Past 64 KiB: auto-detection's look-ahead and the parser's batches end there.
  { weight: 1, arbitrary: fc.record({ op: fc.constant('repeat' as const), times: fc.integer({ min: 2, max: 60 }) }) },
);

function mutate(bytes: Buffer, m: Mutation): Buffer {
  const at = 'at' in m ? Math.floor(m.at * (bytes.length + 1)) : 0;
  switch (m.op) {
    case 'flip':
    case 'byte': {
      if (bytes.length === 0) return bytes;
      const out = Buffer.from(bytes);
      const i = Math.min(at, out.length - 1);
      out[i] = m.op === 'flip' ? (out[i] as number) ^ (1 << m.bit) : m.value;
      return out;
    }
    case 'insert':
      return Buffer.concat([bytes.subarray(0, at), m.bytes, bytes.subarray(at)]);
    case 'delete':
      return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + m.length)]);
    case 'copy': {
      const to = Math.floor(m.to * (bytes.length + 1));
      return Buffer.concat([bytes.subarray(0, to), bytes.subarray(at, at + m.length), bytes.subarray(to)]);
    }
    case 'truncate':
      return bytes.subarray(0, at);
    case 'repeat':
      return Buffer.concat(Array.from({ length: Math.min(m.times, Math.ceil(100_000 / (bytes.length + 1))) }, () => bytes));
    case 'reencode': {
      const text = bytes.toString('utf8');
      if (m.as === 'utf-8-bom') return Buffer.concat([Uint8Array.of(0xef, 0xbb, 0xbf), bytes]);
      if (m.as === 'crlf') return Buffer.from(text.replace(/\r?\n/gu, '\r\n'), 'utf8');
      if (m.as === 'cr') return Buffer.from(text.replace(/\r?\n/gu, '\r'), 'utf8');
      if (m.as === 'utf-16le-nobom') return iconv.encode(text, 'utf-16le');
      const bom = m.as === 'utf-16le' ? [0xff, 0xfe] : m.as === 'utf-16be' ? [0xfe, 0xff] : [];
      return Buffer.concat([Uint8Array.from(bom), iconv.encode(text, m.as)]);
    }
  }
}

interface Case {
  seed: Seed;
  mutations: Mutation[];
  chunks: number[];
}

const caseOf = (from: Seed[]): fc.Arbitrary<Case> =>
  fc.record({
    seed: fc.constantFrom(...from),
    mutations: fc.array(mutation, { minLength: 1, maxLength: 6 }),
    chunks: fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 6 }),
  });

const bytesOf = (c: Case): Buffer => c.mutations.reduce(mutate, c.seed.bytes);

// ---------------------------------------------------------------------------------------------------
// What must hold for any input

const UNREADABLE = ['BINARY_INPUT', 'NOT_A_PAGE', 'UNDECODABLE', 'LINE_TOO_LONG', 'PAGE_TOO_LARGE'];

type Outcome = ParseResult | { error: Diagnostic };

/** `parse`, with an expected failure (unreadable input) as data; anything else thrown fails the test. */
function parseOutcome(input: Uint8Array | string, source: string): Outcome {
  try {
    return parse(input, { source });
  } catch (e) {
    return { error: unreadable(e, source) };
  }
}

function unreadable(e: unknown, source: string): Diagnostic {
  if (!(e instanceof PostdumpError)) throw e;
  expect(e.exitCode).toBe(1);
  expect(e.diagnostic).toMatchObject({ severity: 'error', source });
  expect(UNREADABLE).toContain(e.diagnostic.code);
  expect(diagnosticProblems(e.diagnostic, source)).toEqual([]);
  return e.diagnostic;
}

async function streamOutcome(bytes: Buffer, sizes: number[], source: string): Promise<Outcome> {
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (let at = 0, i = 0; at < bytes.length; i++) {
      const size = sizes[i % sizes.length] ?? 1;
      // A fresh copy each time, overwritten after use: the parser must keep nothing that points into it.
      const chunk = Uint8Array.from(bytes.subarray(at, at + size));
      yield chunk;
      chunk.fill(0x41);
      at += size;
    }
  }
  const posts: Post[] = [];
  const diagnostics: Diagnostic[] = [];
  try {
    for await (const post of parseStream(chunks(), { source, onDiagnostic: (d) => diagnostics.push(d) })) posts.push(post);
  } catch (e) {
    return { error: unreadable(e, source) };
  }
  return { posts, diagnostics };
}

/**
 * An outcome less what may depend on the chunks: a decoder other than UTF-8's knows an error only to
 * the piece it was decoding ("not valid gb18030 near byte N", N the piece's start), so N is left out.
 */
function chunkFree(o: Outcome): Outcome {
  if (!('error' in o)) return o;
  const e = o.error;
  if (e.code !== 'UNDECODABLE' || !('offset' in e.args) || e.args.exact) return o;
  return { error: { ...e, detail: withoutOffset(e.detail), args: { ...e.args, offset: -1 } } };
}

/** A message less the offset a non-UTF-8 decoder's error gives, which depends on the pieces it was fed (see chunkFree). */
const withoutOffset = (message: string): string => message.replace(/ near byte \d+(;|$)/u, ' near byte …$1');

/**
 * The text auto-detection reads from a small input that is not a page (BOM, else UTF-8, else GB18030),
 * as a string for `parse` to read the same: a BOM kept, since `parse` drops a string's first U+FEFF,
 * and one more before a GB18030 U+FEFF, which is a character there (GB18030 has no BOM to drop).
 */
function decodedText(bytes: Buffer): string {
  const label = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : isUtf8(bytes) ? 'utf-8' : 'gb18030';
  const text = new TextDecoder(label, { ignoreBOM: true }).decode(bytes);
  return label === 'gb18030' && text.startsWith('\ufeff') ? `\ufeff${text}` : text;
}

/** Everything the library must give for one input, whatever it is; returns the outcome for comparison with the CLI. */
async function checkLibrary(bytes: Buffer, source: string, sizes: number[]): Promise<Outcome> {
  const whole = parseOutcome(bytes, source);
  expect(chunkFree(await streamOutcome(bytes, sizes, source))).toEqual(chunkFree(whole));
  if ('error' in whole) return whole;
  const { posts, diagnostics } = whole;
  expect(posts.flatMap((p) => recordProblems(p, source))).toEqual([]);
  expect(diagnostics.flatMap((d) => diagnosticProblems(d, source))).toEqual([]);
  // No post is an error; posts and an error do not go together (an error fails the input).
  expect(diagnostics.some((d) => d.severity === 'error')).toBe(posts.length === 0);
  if (!diagnostics.some((d) => d.code === 'HTML_PAGE')) {
    const text = decodedText(bytes);
    expect(unaccounted(text, whole)).toEqual([]);
    expect(parse(text, { source })).toEqual(whole);
  }
  return whole;
}

// ---------------------------------------------------------------------------------------------------
// The CLI on many fuzzed inputs at once

/** What `postdump parse` prints on stderr for an input's outcome (no -v: errors and warnings). */
function stderrOf(source: string, outcome: Outcome): string[] {
  const shown = 'error' in outcome ? [outcome.error] : outcome.diagnostics.filter((d) => d.severity !== 'info');
  return shown.map((d) => `postdump: ${d.severity}: ${location({ ...d, source })}: ${cliMessage(d)}`);
}

interface Written {
  dir: string;
  names: string[];
  outcomes: Map<string, Outcome>;
}

/** Fuzzed inputs written to files case-NNN.txt / .html in a fresh folder, then the regression fixtures, with what the library makes of each. */
function writeCases(cases: Case[], regressions: readonly string[]): Written {
  const dir = tempDir();
  const names: string[] = [];
  const outcomes = new Map<string, Outcome>();
  const add = (name: string, bytes: Buffer): void => {
    writeFileSync(join(dir, name), bytes);
    names.push(name);
    outcomes.set(name, parseOutcome(bytes, name));
  };
  for (const [i, c] of cases.entries()) add(`case-${String(i).padStart(3, '0')}${isPage(c.seed.path) ? '.html' : '.txt'}`, bytesOf(c));
  for (const name of regressions) add(name, readFileSync(join(repoRoot, REGRESSIONS, name)));
  return { dir, names, outcomes };
}

/** The posts of an outcome as the CLI writes them by default: the record's own keys (enrichment only with --fields). */
const postsOf = (o: Outcome | undefined): Post[] =>
  o === undefined || 'error' in o ? [] : o.posts.map(({ series: _s, part: _p, categories: _c, tags: _t, ...record }) => record);
const fails = (o: Outcome | undefined): boolean => o === undefined || 'error' in o || o.diagnostics.some((d) => d.severity === 'error');

/** The CLI's runs over a set of inputs: parse in every format, check, stats, convert (worker threads), split, and one input at a time. */
function checkCli({ dir, names, outcomes }: Written, alone: readonly string[]): void {
  const expectedPosts = names.flatMap((n) => postsOf(outcomes.get(n)));
  const anyFailure = names.some((n) => fails(outcomes.get(n)));
  const status = anyFailure ? 1 : 0;

  const jsonl = runCli(['parse', ...names, '-f', 'jsonl'], { cwd: dir });
  expect(stderrLines(jsonl.stderr)).toEqual(names.flatMap((n) => stderrOf(n, outcomes.get(n) as Outcome)));
  expect(jsonl.status).toBe(status);
  expect(readJsonLines(jsonl.stdout)).toEqual(expectedPosts);

  const json = runCli(['parse', ...names], { cwd: dir });
  expect({ status: json.status, stderr: json.stderr }).toEqual({ status, stderr: jsonl.stderr });
  expect(json.stdout === '' ? [] : JSON.parse(json.stdout)).toEqual(expectedPosts);

  const csv = runCli(['parse', ...names, '-f', 'csv', '--excel', '-q'], { cwd: dir });
  expect(csv.status).toBe(status);
  expect(csv.stdout === '' ? [] : readCsv(csv.stdout, true).map((row) => row.line)).toEqual(expectedPosts.map((p) => String(p.line)));

  const md = runCli(['parse', ...names, '-f', 'md', '-q'], { cwd: dir });
  expect(md.status).toBe(status);
  expect(md.stdout.split('\n').filter((l) => l.startsWith('## '))).toHaveLength(expectedPosts.length);

  const check = runCli(['check', ...names, '--json'], { cwd: dir });
  const found = names.flatMap((n) => {
    const o = outcomes.get(n) as Outcome;
    return 'error' in o ? [{ ...o.error, source: n }] : o.diagnostics;
  });
  expect(check.status).toBe(found.some((d) => d.severity !== 'info') ? 1 : 0);
  expect(
    // check --json gives each finding's arguments as the library does.
    (JSON.parse(check.stdout) as Diagnostic[]).map(({ code, severity, source, line, endLine, detail, args }) => ({
      code,
      severity,
      source,
      line,
      endLine,
      detail,
      args,
    })),
  ).toEqual(found);

  const stats = runCli(['stats', ...names, '--json'], { cwd: dir });
  expect(stats.status).toBe(status);
  expect((JSON.parse(stats.stdout) as { posts: number }).posts).toBe(expectedPosts.length);

  const convert = runCli(['convert', ...names, '--out-dir', 'out', '-f', 'jsonl', '--jobs', '2', '-q'], { cwd: dir });
  expect(convert.status).toBe(status);
  const converted = names.filter((n) => !fails(outcomes.get(n))).map((n) => n.replace(/\.html?$|\.txt$/u, '.jsonl'));
  expect(filesBelow(join(dir, 'out'))).toEqual(converted.sort());
  for (const n of names.filter((x) => !fails(outcomes.get(x)))) {
    const file = readFileSync(join(dir, 'out', n.replace(/\.html?$|\.txt$/u, '.jsonl')), 'utf8');
    expect(file).toBe(
      postsOf(outcomes.get(n))
        .map((p) => `${JSON.stringify(p)}\n`)
        .join(''),
    );
  }

  // Every input read, the first 100 notes written (a note per post costs a file each).
  const split = runCli(['split', ...names, '--out-dir', 'notes', '--limit', '100', '-q'], { cwd: dir });
  expect(split.status).toBe(status);
  expect(filesBelow(join(dir, 'notes')).length).toBe(Math.min(100, expectedPosts.length));

  for (const r of [jsonl, json, csv, md, check, stats, convert, split]) expectNoStackTrace(r.stderr);

  // One input at a time, from the file and from standard input (a pipe): the library's records and messages.
  const runs = alone.flatMap((input) => [
    { input, source: input, command: `postdump parse ${shellQuote(input)} -f jsonl` },
    { input, source: '-', command: `postdump parse - -f jsonl < ${shellQuote(input)}` },
  ]);
  const script = runs.map((run, i) => `${run.command} > alone-${i}.out 2> alone-${i}.err; echo $?`).join('\n');
  const codes = runShell(script, { cwd: dir }).stdout.trimEnd().split('\n').map(Number);
  const read = (name: string): string => readFileSync(join(dir, name), 'utf8');
  for (const [i, { input, source }] of runs.entries()) {
    const stderr = read(`alone-${i}.err`);
    expectNoStackTrace(stderr);
    const expected = parseOutcome(readFileSync(join(dir, input)), source);
    expect({ input, source, code: codes[i], records: readJsonLines(read(`alone-${i}.out`)), stderr: stderrLines(stderr).map(withoutOffset) }).toEqual({
      input,
      source,
      code: fails(expected) ? 1 : 0,
      records: postsOf(expected),
      stderr: stderrOf(source, expected).map(withoutOffset),
    });
  }
}

// ---------------------------------------------------------------------------------------------------

// Fixed seeds: the same cases on every run. FUZZ_SEED=n explores other cases, FUZZ_SCALE=k runs k times as
// many (e.g. `FUZZ_SEED=$RANDOM FUZZ_SCALE=20 npx vitest run tests/fuzz.test.ts`); a failure prints its case.
const SEED = Number(process.env.FUZZ_SEED ?? 8128);
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const LIBRARY_TEXT_RUNS = 3000 * SCALE;
const LIBRARY_PAGE_RUNS = 500 * SCALE;
const CLI_INPUTS = 120 * SCALE;
const TIMEOUT = 60_000 * SCALE;
const CLI_SINGLE = 6;

describe('fuzz: the library', () => {
  for (const { what, seeds, source, runs, seed } of [
    { what: 'text dumps', seeds: textSeeds, source: 'fuzz.txt', runs: LIBRARY_TEXT_RUNS, seed: SEED },
    { what: 'saved pages', seeds: pageSeeds, source: 'fuzz.html', runs: LIBRARY_PAGE_RUNS, seed: SEED + 1 },
  ]) {
    it(
      `${runs} mutated ${what}`,
      async () => {
        await fc.assert(
          fc.asyncProperty(caseOf(seeds), async (c) => {
            await checkLibrary(bytesOf(c), source, c.chunks);
          }),
          { numRuns: runs, seed },
        );
      },
      TIMEOUT,
    );
  }
});

const regressions = existsSync(join(repoRoot, REGRESSIONS))
  ? readdirSync(join(repoRoot, REGRESSIONS))
      .filter((n) => /\.(txt|html)$/u.test(n))
      .sort()
  : [];

describe('fuzz regressions (fixtures/fuzz): inputs that once broke something', () => {
  it.each(regressions)('%s: the library, fed whole and in pieces of 1, 7 and 4096 bytes', async (name) => {
    const bytes = readFileSync(join(repoRoot, REGRESSIONS, name));
    for (const sizes of [[1], [7], [4096]]) await checkLibrary(bytes, `${REGRESSIONS}/${name}`, sizes);
  });
});

describe('fuzz: the CLI', () => {
  it(
    `${CLI_INPUTS} mutated inputs and the ${regressions.length} regression fixtures through parse (every format), check, stats, convert --jobs 2 and split; ${CLI_SINGLE} of them and the fixtures alone, from the file and from stdin`,
    () => {
      const cases = [
        ...fc.sample(caseOf(textSeeds), { numRuns: (CLI_INPUTS * 3) / 4, seed: SEED + 2 }),
        ...fc.sample(caseOf(pageSeeds), { numRuns: CLI_INPUTS / 4, seed: SEED + 3 }),
      ];
      const written = writeCases(cases, regressions);
      checkCli(written, [...written.names.slice(0, CLI_SINGLE), ...regressions]);
    },
    TIMEOUT,
  );
});
