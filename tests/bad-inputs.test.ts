/**
 * The bad-input matrix (issue 6, SPEC §8), end to end: every command that reads input against every
 * input it must refuse, outputs it cannot write, and unknown flags and bad values for every command.
 * A failure is the documented exit status (1 for a data problem or an output that cannot be written,
 * 2 for a usage error), exactly one line per problem on stderr (`postdump: error: ...`, never a stack
 * trace), no data for the failing input, and nothing left behind in the working folder or --out-dir.
 *
 * Every command line runs in a folder of its own; all of them run in one shell script, in two lanes
 * at once (a spawn of the CLI costs more than any case), and the tests read what each left behind.
 *
 * Elsewhere, not repeated here: `parse -o` into a missing folder, over an input (the same path,
 * `./path`, a symlink, a hard link, stdin) and SIGTERM/SIGINT during `-o` (cli.test.ts, 'parse -o
 * FILE'); SIGTERM during `convert --out-dir` (convert.test.ts); parse's bad selection values
 * (parse-select.test.ts); convert's and split's other usage errors (convert.test.ts, split.test.ts);
 * empty standard input (cli.test.ts); `> /dev/full` with a 20 MB dump (cli.test.ts).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, type Post } from '../src/index.js';
import { binPath, childEnv, expectNoStackTrace, repoRoot, seedPath, shellQuote, stderrLines } from './helpers/cli.js';
import { filesBelow, temporaryFolders } from './helpers/workspace.js';
import { tarOf } from './helpers/archives.js';
import { readJsonLines } from './helpers/read-back.js';

const seed = readFileSync(seedPath);
const GB18030_DUMP = join(repoRoot, 'fixtures/encodings/dump.gb18030.txt');
const NO_POSTS_PAGE = join(repoRoot, 'fixtures/html/no-posts.html');
/** The parser's line limit (SPEC §8: 64 MiB); a line of exactly this many bytes is still read. */
const LINE_LIMIT = 64 * 1024 * 1024;
const hasDevFull = existsSync('/dev/full');

// ---------------------------------------------------------------------------------------------
// Runs: each registered while the tests are defined, all run once before them.

/**
 * A file to make in a run's folder: its content, a hard link to one of the 64 MiB lines (made once,
 * shared), a hard link or a symlink to a file named before it in the same folder, or a FIFO.
 */
type Entry = string | Uint8Array | { big: keyof BigLines } | { hardLink: string } | { symlink: string } | { fifo: true };

interface BigLines {
  /** A line of exactly the limit, no newline. */
  atLimit: string;
  /** One byte more. */
  overLimit: string;
}

interface Run {
  /** Shell words after `postdump`. */
  line: string;
  /** Files (and folders, ending in `/`) made in the run's folder beforehand. */
  files?: Record<string, Entry>;
  /** Shell commands run in the folder first (a FIFO's writer), and after (reaping it). */
  setup?: string;
  after?: string;
  /** Where stdout goes instead of a file the test reads (`/dev/full`). */
  stdout?: string;
}

interface Result {
  status: number;
  stdout: string;
  stderr: string;
  /** The run's working folder. */
  dir: string;
  /** `filesBelow(dir)` before the run. */
  before: string[];
}

const runs: Run[] = [];
const results: Result[] = [];
const tempDir = temporaryFolders('bad-inputs');
let bigLines: BigLines = { atLimit: '', overLimit: '' };

/** Registers a run; the returned function gives its result once the runs are done. */
function register(run: Run): () => Result {
  const index = runs.push(run) - 1;
  return () => {
    const result = results[index];
    if (result === undefined) throw new Error(`run ${index} (${run.line}) has no result`);
    return result;
  };
}

/** A FIFO named `f` whose writer sends `what` (a shell command's output) and closes it; reaped after the run. */
function fifoFed(what: string): Pick<Run, 'setup' | 'after'> {
  // The writer blocks until the CLI opens the FIFO; if it never does, it is killed rather than left waiting.
  return { setup: `${what} >f & writer=$!`, after: 'kill $writer 2>/dev/null; wait $writer 2>/dev/null' };
}

const FIFO = { fifo: true } as const;

function prepare(dir: string, files: Record<string, Entry>): void {
  const fifos: string[] = [];
  for (const [name, entry] of Object.entries(files)) {
    const path = join(dir, name);
    if (name.endsWith('/')) {
      mkdirSync(path, { recursive: true });
      continue;
    }
    mkdirSync(dirname(path), { recursive: true });
    if (typeof entry === 'string' || entry instanceof Uint8Array) writeFileSync(path, entry);
    else if ('fifo' in entry) fifos.push(path);
    else if ('big' in entry) linkSync(bigLines[entry.big], path);
    else if ('hardLink' in entry) linkSync(join(dir, entry.hardLink), path);
    else symlinkSync(entry.symlink, path);
  }
  if (fifos.length > 0) execFileSync('mkfifo', fifos);
}

beforeAll(() => {
  const root = tempDir();
  const out = join(root, 'results');
  mkdirSync(out);
  // The 64 MiB lines are made once and hard-linked into each run's folder.
  bigLines = { atLimit: join(root, 'at-limit.txt'), overLimit: join(root, 'over-limit.txt') };
  writeFileSync(bigLines.atLimit, Buffer.alloc(LINE_LIMIT, 'a'));
  writeFileSync(bigLines.overLimit, Buffer.alloc(LINE_LIMIT + 1, 'a'));
  const script = runs.map((run, i) => {
    const dir = join(root, `run-${i}`);
    mkdirSync(dir);
    prepare(dir, run.files ?? {});
    const res = (ext: string): string => shellQuote(join(out, `${i}.${ext}`));
    return [
      `( cd ${shellQuote(dir)} || exit`,
      run.setup ?? ':',
      `postdump ${run.line} >${run.stdout ?? res('out')} 2>${res('err')} </dev/null; echo $? >${res('status')}`,
      `${run.after ?? ':'} )`,
    ].join('\n');
  });
  const befores = runs.map((_, i) => filesBelow(join(root, `run-${i}`)));
  // Two lanes, one per core of the test machine; neighbours alternate so the slow runs share out.
  const lanes = [0, 1].map((lane) => script.filter((_, i) => i % 2 === lane).join('\n'));
  const r = spawnSync('bash', ['-c', `postdump() { "$POSTDUMP_NODE" "$POSTDUMP_BIN" "$@"; }\n${lanes.map((l) => `{\n${l}\n} &`).join('\n')}\nwait`], {
    env: { ...childEnv(), POSTDUMP_NODE: process.execPath, POSTDUMP_BIN: binPath },
    stdio: 'ignore',
    timeout: 120_000,
  });
  if (r.error) throw r.error;
  runs.forEach((_, i) => {
    const read = (ext: string): Buffer => (existsSync(join(out, `${i}.${ext}`)) ? readFileSync(join(out, `${i}.${ext}`)) : Buffer.alloc(0));
    results[i] = {
      // No status file: the run never ended (NaN fails every test of it).
      status: Number(read('status').toString('utf8').trim() || Number.NaN),
      stdout: read('out').toString('utf8'),
      stderr: read('err').toString('utf8'),
      dir: join(root, `run-${i}`),
      before: befores[i] ?? [],
    };
  });
}, 180_000);

// ---------------------------------------------------------------------------------------------
// Expected lines.

/** A regular expression for `text` as is. */
const literal = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One expected line: a literal, or a pattern (anchored here). */
type Line = string | RegExp;
const lineRegExp = (line: Line): RegExp => (typeof line === 'string' ? new RegExp(`^${literal(line)}$`) : new RegExp(`^(?:${line.source})$`));

/** `text` is these lines, each ended by a newline; a mismatch shows the lines that differ. */
function expectLines(text: string, expected: readonly Line[]): void {
  const lines = stderrLines(text);
  expect(text === '' || text.endsWith('\n')).toBe(true);
  expect(lines.map((line, i) => (expected[i] !== undefined && lineRegExp(expected[i]).test(line) ? 'ok' : line))).toEqual(expected.map(() => 'ok'));
}

/** A finding about an input: where (`FILE` or `FILE:LINE`) and what. */
interface Finding {
  severity: 'error' | 'warning';
  where: string;
  message: Line;
}
const error = (where: string, message: Line): Finding => ({ severity: 'error', where, message });
const warning = (where: string, message: Line): Finding => ({ severity: 'warning', where, message });

const pattern = (line: Line): string => (typeof line === 'string' ? literal(line) : line.source);

/** A finding as `postdump: SEVERITY: WHERE: MESSAGE` on stderr. */
const onStderr = (f: Finding): RegExp => new RegExp(`postdump: ${f.severity}: ${literal(f.where)}: ${pattern(f.message)}`);
/** A finding as `check` prints it on stdout: `WHERE: SEVERITY: MESSAGE`, then its hint. */
const onCheck = (f: Finding): RegExp[] => [new RegExp(`${literal(f.where)}: ${f.severity}: ${pattern(f.message)}`), / {2}hint: \S.*/];

const NO_POSTS = 'no post found (a post is a title line followed by a "By <author> | <date> | <N>位读者" header)';
const countOf = (noun: string): string => `\\d+ ${noun}s?`;
/** The summary line convert, split and check end with on stderr. */
const CONVERT_SUMMARY = (posts: number | null): RegExp =>
  new RegExp(`postdump: info: ${countOf('file')}, ${posts ?? '\\d+'} posts?, ${countOf('warning')}, ${countOf('error')}, \\d+\\.\\d\\d s`);
const SPLIT_SUMMARY = (notes: number): string => `postdump: info: wrote ${notes} note${notes === 1 ? '' : 's'} in notes`;
const CHECK_SUMMARY = (posts: number): RegExp =>
  new RegExp(`postdump: info: checked ${countOf('input')}: ${posts} posts?, ${countOf('warning')}, ${countOf('error')}`);

// ---------------------------------------------------------------------------------------------
// Commands.

/** The commands that read inputs; `convert` is there twice, with --out-dir and with --merge. */
type Command = 'parse' | 'stats' | 'check' | 'convert' | 'merge' | 'split';
const COMMANDS: readonly Command[] = ['parse', 'stats', 'check', 'convert', 'merge', 'split'];
/**
 * The five commands, one run each per case (each run is a start of Node, the bulk of this file's
 * time). `convert --merge` reads as `convert --out-dir` does; it runs too on a few cases, for its
 * output: no merged file at all when no input gives a post.
 */
const READERS: readonly Command[] = ['parse', 'stats', 'check', 'convert', 'split'];

/** `postdump WORDS INPUTS OPTIONS` for each command: its word and the options it needs. */
const CALL: Record<Command, [string, string]> = {
  parse: ['parse', ''],
  stats: ['stats', ''],
  check: ['check', ''],
  convert: ['convert', ' --out-dir out'],
  merge: ['convert', ' --merge all.json'],
  split: ['split', ' --out-dir notes'],
};
const commandLine = (command: Command, inputs: string): string => `${CALL[command][0]} ${inputs}${CALL[command][1]}`;

/** What a run of `command` that fails for `findings` prints: data on stdout (check only), messages on stderr. */
function expectedFailure(command: Command, findings: readonly Finding[]): { stdout: Line[]; stderr: Line[] } {
  switch (command) {
    case 'check':
      return { stdout: findings.flatMap(onCheck), stderr: [CHECK_SUMMARY(0)] };
    case 'convert':
    case 'merge':
      return { stdout: [], stderr: [...findings.map(onStderr), CONVERT_SUMMARY(0)] };
    case 'split':
      return { stdout: [], stderr: [...findings.map(onStderr), SPLIT_SUMMARY(0)] };
    default:
      return { stdout: [], stderr: findings.map(onStderr) };
  }
}

// ---------------------------------------------------------------------------------------------
// The inputs each command must refuse.

interface InputCase {
  name: string;
  /** The inputs (and flags) on the command line. */
  args: string;
  files?: Record<string, Entry>;
  fifo?: Pick<Run, 'setup' | 'after'>;
  commands: readonly Command[];
  findings: readonly Finding[] | ((command: Command) => readonly Finding[]);
}

const BINARY = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x01, 0xff, 0x00, 0x10]);
const TITLELESS_HEADER = 'By 苏剑林 | 2021-01-22 | 81957位读者 | 引用从这一篇开始,我们就将前面所介绍的采样算法应用到具体的文本生成例子中。\n';
const PROSE = 'Just some text.\nNo post headers here at all.\n';
const NO_POSTS_PAGE_MESSAGE =
  'no post found: this HTML page has no div.Post or #PostContent, and its visible text has no title line followed by a "By <author> | <date> | <N>位读者" header';
const TOO_LONG = 'line longer than 64 MiB; is this really a text dump?';

// Compressed files and archives, made by the real gzip and tar.
const gzipOf = (input: Uint8Array | string, level = '-6'): Buffer => execFileSync('gzip', ['-c', level], { input, maxBuffer: 1 << 30 });
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const CUT_GZIP = gzipOf(Buffer.concat([seed, seed])).subarray(0, 1000);
// 1 GB of zeros, about 1 MB compressed.
const GZIP_BOMB = execFileSync('bash', ['-c', 'head -c 1G /dev/zero | gzip -c -1'], { maxBuffer: 1 << 30 });

const INPUT_CASES: InputCase[] = [
  { name: 'a missing file', args: 'missing.txt', commands: COMMANDS, findings: [error('missing.txt', 'no such file')] },
  {
    name: 'an empty folder (every command reads folders recursively: no input in it)',
    args: 'folder',
    files: { 'folder/': '' },
    commands: COMMANDS,
    findings: [error('folder', 'no file to read in this folder')],
  },
  { name: '/dev/null', args: '/dev/null', commands: READERS, findings: [error('/dev/null', 'input is empty')] },
  {
    name: 'a FIFO whose writer closes it at once',
    args: 'f',
    files: { f: FIFO },
    fifo: fifoFed("printf ''"),
    commands: READERS,
    findings: [error('f', 'input is empty')],
  },
  {
    name: 'a binary file',
    args: 'binary.dat',
    files: { 'binary.dat': BINARY },
    commands: READERS,
    findings: [error('binary.dat', 'binary input (a ZIP archive), not a text dump')],
  },
  { name: 'an empty file', args: 'empty.txt', files: { 'empty.txt': '' }, commands: READERS, findings: [error('empty.txt', 'input is empty')] },
  {
    name: 'a white-space-only file',
    args: 'blank.txt',
    files: { 'blank.txt': ' \n\t\n\u3000\n' },
    commands: ['parse'],
    findings: [error('blank.txt', 'input is empty')],
  },
  {
    name: 'a line of exactly 64 MiB, no newline (at the limit: read, and no post in it)',
    args: 'long.txt',
    files: { 'long.txt': { big: 'atLimit' } },
    commands: ['parse'],
    findings: [error('long.txt', NO_POSTS)],
  },
  {
    name: 'a line of 64 MiB + 1 byte, no newline',
    args: 'long.txt',
    files: { 'long.txt': { big: 'overLimit' } },
    commands: READERS,
    findings: [error('long.txt:1', TOO_LONG)],
  },
  {
    name: 'the same bytes as a saved page (read whole)',
    args: 'long.html',
    files: { 'long.html': { big: 'overLimit' } },
    commands: ['parse'],
    findings: [
      error('long.html', 'HTML page larger than 16 MiB, which is read whole; is this really a saved page? (--input-type text reads it as a text dump)'),
    ],
  },
  {
    name: 'a header with no title (the header line alone)',
    args: 'header.txt',
    files: { 'header.txt': TITLELESS_HEADER },
    commands: READERS,
    findings: [warning('header.txt:1', 'post header with no title line above it; kept as excerpt text'), error('header.txt', NO_POSTS)],
  },
  { name: 'text with no post', args: 'prose.txt', files: { 'prose.txt': PROSE }, commands: READERS, findings: [error('prose.txt', NO_POSTS)] },
  {
    name: 'an HTML page with no post (fixtures/html/no-posts.html)',
    args: 'no-posts.html',
    files: { 'no-posts.html': readFileSync(NO_POSTS_PAGE) },
    commands: READERS,
    findings: [error('no-posts.html', NO_POSTS_PAGE_MESSAGE)],
  },
  {
    name: 'a cut-off gzip',
    args: 'cut.txt.gz',
    files: { 'cut.txt.gz': CUT_GZIP },
    commands: READERS,
    findings: [error('cut.txt.gz', 'gzip data ends before its end (a cut-off file?)')],
  },
  {
    name: 'a gzip of binary data',
    args: 'logo.gz',
    files: { 'logo.gz': gzipOf(PNG) },
    commands: READERS,
    findings: [error('logo.gz', 'binary input (a PNG image), not a text dump')],
  },
  {
    name: 'a gzip bomb (1 GB of zeros): refused after its first 64 KiB',
    args: 'bomb.txt.gz',
    files: { 'bomb.txt.gz': GZIP_BOMB },
    commands: READERS,
    findings: [error('bomb.txt.gz', 'binary input (NUL byte at offset 0), not a text dump')],
  },
  {
    name: 'undecodable bytes under a forced encoding (--encoding utf-8 on a GB18030 dump)',
    args: 'gb18030.txt --encoding utf-8',
    files: { 'gb18030.txt': readFileSync(GB18030_DUMP) },
    commands: READERS,
    findings: [error('gb18030.txt', "invalid UTF-8 at byte 0; name the input's encoding with --encoding")],
  },
];

describe.each(INPUT_CASES)('$name', (c) => {
  const cases = c.commands.map((command) => {
    const findings = typeof c.findings === 'function' ? c.findings(command) : c.findings;
    const result = register({ line: commandLine(command, c.args), ...(c.files && { files: c.files }), ...c.fifo });
    return { command, findings, result };
  });
  it.each(cases)('$command: exit 1, one line per finding, no records, nothing left behind', ({ command, findings, result }) => {
    const r = result();
    const expected = expectedFailure(command, findings);
    expectNoStackTrace(r.stderr);
    expectLines(r.stderr, expected.stderr);
    expectLines(r.stdout, expected.stdout);
    expect(r.status).toBe(1);
    // No output, no temporary file: the folder holds what it held (an --out-dir may be made, empty).
    expect(filesBelow(r.dir)).toEqual(r.before);
  });
});

// ---------------------------------------------------------------------------------------------
// Archives that try to escape, or to exhaust: read as streams, never unpacked, so nothing is written
// outside --out-dir; their members are counted, each a bounded piece of work.

describe('hostile archives and bombs', () => {
  const evil = tarOf({ x: seed }, ['--absolute-names', '--transform=s,^x$,../../x,']);
  const emptyMembers = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`m/${i}.txt`, '']));
  const bomb = tarOf(emptyMembers);
  const escaping = register({ line: 'convert evil.tar --out-dir out -f jsonl', files: { 'evil.tar': evil } });
  const bombParse = register({ line: 'parse bomb.tar', files: { 'bomb.tar': bomb } });
  const bombConvert = register({ line: 'convert bomb.tar --out-dir out', files: { 'bomb.tar': bomb } });
  const bombFolder = register({ line: 'check folder', files: { 'folder/bomb.gz': GZIP_BOMB } });

  it('a tar member named ../../x: read as evil.tar:../../x into out/evil.jsonl, nothing written outside --out-dir', () => {
    const r = escaping();
    expect(r.status).toBe(0);
    expectNoStackTrace(r.stderr);
    expect(filesBelow(r.dir)).toEqual([...r.before, 'out/evil.jsonl'].sort());
    expect(existsSync(join(r.dir, '../../x'))).toBe(false);
    expect((readJsonLines(readFileSync(join(r.dir, 'out/evil.jsonl'), 'utf8')) as Post[]).map((p) => p.source)).toEqual(Array(8).fill('evil.tar:../../x'));
  });

  it('a tar bomb of 10,000 empty members: each a note, the archive without a post one error line (exit 1)', () => {
    const r = bombParse();
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 1, stdout: '' });
    expectLines(r.stderr, [
      'postdump: error: bomb.tar: no post found: no member of this archive holds a post',
      'postdump: info: 10,000 files: 10,000 read (10,000 without a post)',
    ]);
    const c = bombConvert();
    expect(c.status).toBe(1);
    expectLines(c.stderr, [
      'postdump: error: bomb.tar: no post found: no member of this archive holds a post',
      /postdump: info: 10,000 files: 10,000 read \(10,000 without a post\); 0 posts, 0 warnings, 1 error, \d+\.\d\d s/,
    ]);
    expect(filesBelow(c.dir)).toEqual(c.before);
  });

  it('a gzip bomb met in a folder: skipped after its first 64 KiB, counted (exit 0)', () => {
    const r = bombFolder();
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 0, stdout: '' });
    expectLines(r.stderr, ['postdump: info: checked 1 file: 0 read, 1 not a page; 0 posts, 0 warnings, 0 errors']);
  });
});

// ---------------------------------------------------------------------------------------------
// Damaged web archives, MHTML snapshots and feeds (fixtures/archives/bad, issue 14): unlike the
// inputs above, they keep the records before their fault.

const ARCHIVES = join(repoRoot, 'fixtures/archives/bad');
const BAD_ARCHIVES: [name: string, fault: RegExp, posts: number][] = [
  ['content-length-too-small.warc', /content-length-too-small\.warc#958: the record does not end where its Content-Length .*/, 18],
  ['content-length-too-large.warc', /content-length-too-large\.warc#958: the record does not end where its Content-Length .*/, 18],
  ['plain-record-in-gzip.warc.gz', /plain-record-in-gzip\.warc\.gz#5782: not gzip data, .*/, 1],
  ['truncated.warc.gz', /truncated\.warc\.gz#19977: the file ends inside this record's gzip member \(a cut-off file\?\)/, 11],
  ['no-html-part.mhtml', /no-html-part\.mhtml: no post found: this MHTML snapshot has no text\/html part.*/, 0],
  ['not-well-formed.rss', /not-well-formed\.rss:70: not well-formed XML \(column 35: unexpected close tag\).*/, 2],
  ['billion-laughs.rss', /billion-laughs\.rss:13: a DOCTYPE that declares entities .*/, 0],
];

describe.each(BAD_ARCHIVES)('%s', (name, fault, posts) => {
  const files = { [name]: readFileSync(join(ARCHIVES, name)) };
  const parseRun = register({ line: `parse ${name} -f jsonl`, files });
  const convertRun = register({ line: `convert ${name} --merge all.jsonl`, files });

  it(`parse: exit 1, one line for the fault, the ${posts} records it keeps`, () => {
    const r = parseRun();
    expectNoStackTrace(r.stderr);
    expectLines(r.stderr, [new RegExp(`postdump: error: ${fault.source}`)]);
    expect(r.status).toBe(1);
    expect(readJsonLines(r.stdout)).toHaveLength(posts);
  });

  it('convert --merge: the same one error, exit 1', () => {
    const r = convertRun();
    expectNoStackTrace(r.stderr);
    expect(stderrLines(r.stderr).filter((l) => l.startsWith('postdump: error:'))).toEqual([
      expect.stringMatching(new RegExp(`^postdump: error: ${fault.source}$`)),
    ]);
    expect(r.status).toBe(1);
  });
});

// ---------------------------------------------------------------------------------------------
// A FIFO fed the seed works like a file.

describe('a FIFO fed the seed is read like a file', () => {
  const fed = (command: Command): (() => Result) =>
    register({ line: commandLine(command, 'f'), files: { f: FIFO }, ...fifoFed(`cat ${shellQuote(seedPath)}`) });
  // parse, stats, check and split read through the same code; convert reads in its own tasks.
  const runOf = { parse: fed('parse'), check: fed('check'), convert: fed('convert') };
  const posts = (): Post[] => parse(seed, { source: 'f' }).posts;

  it('parse: the records, nothing on stderr', () => {
    const r = runOf.parse();
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(JSON.parse(r.stdout)).toEqual(posts());
  });

  it('check: clean', () => {
    const r = runOf.check();
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 0, stdout: '' });
    expectLines(r.stderr, ['postdump: info: checked 1 input: 8 posts, 0 warnings, 0 errors']);
  });

  it('convert --out-dir: out/f.json', () => {
    const r = runOf.convert();
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 0, stdout: '' });
    expectLines(r.stderr, [CONVERT_SUMMARY(8)]);
    expect(filesBelow(r.dir)).toEqual(['f', 'out/f.json']);
    expect(JSON.parse(readFileSync(join(r.dir, 'out/f.json'), 'utf8'))).toEqual(posts());
  });
});

// ---------------------------------------------------------------------------------------------
// Every bad input at once, among a good one: each reported in input order, the good one still used.

describe('every bad input at once, among a good one (convert on worker threads)', () => {
  const files: Record<string, Entry> = {
    'folder/': '',
    'empty.txt': '',
    'binary.dat': BINARY,
    f: FIFO,
    'header.txt': TITLELESS_HEADER,
    'prose.txt': PROSE,
    'no-posts.html': readFileSync(NO_POSTS_PAGE),
    'seed.txt': seed,
  };
  const inputs = 'missing.txt empty.txt binary.dat f /dev/null header.txt seed.txt prose.txt no-posts.html';
  const findings = [
    error('missing.txt', 'no such file'),
    error('empty.txt', 'input is empty'),
    error('binary.dat', 'binary input (a ZIP archive), not a text dump'),
    error('f', 'input is empty'),
    error('/dev/null', 'input is empty'),
    warning('header.txt:1', 'post header with no title line above it; kept as excerpt text'),
    error('header.txt', NO_POSTS),
    error('prose.txt', NO_POSTS),
    error('no-posts.html', NO_POSTS_PAGE_MESSAGE),
  ];
  // Folders are expanded first: an empty one is reported before any input is read.
  const emptyFolder = error('folder', 'no file to read in this folder');
  const fifo = fifoFed("printf ''");
  const run = (line: string): (() => Result) => register({ line, files, ...fifo });
  const parseJson = run(`parse ${inputs}`);
  const parseJsonLines = run(`parse ${inputs} -f jsonl`);
  const stats = run(`stats folder ${inputs}`);
  const check = run(`check folder ${inputs}`);
  const convert = run(`convert folder ${inputs} --out-dir out --jobs 2`);
  const merge = run(`convert folder ${inputs} --merge all.json --jobs 2`);
  const split = run(`split folder ${inputs} --out-dir notes`);
  const seedPosts = (): Post[] => parse(seed, { source: 'seed.txt' }).posts;

  it('parse (JSON): the good records, one line per problem, exit 1', () => {
    const r = parseJson();
    expectLines(r.stderr, findings.map(onStderr));
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual(seedPosts());
  });

  it('parse (JSON Lines): the same', () => {
    const r = parseJsonLines();
    expectLines(r.stderr, findings.map(onStderr));
    expect(r.status).toBe(1);
    expect(readJsonLines(r.stdout)).toEqual(seedPosts());
  });

  it('stats: the statistics of the good input', () => {
    const r = stats();
    expectLines(r.stderr, [emptyFolder, ...findings].map(onStderr));
    expect(r.status).toBe(1);
    expect(r.stdout.split('\n')[0]).toBe('8 posts, 2021-01-22 to 2022-06-13');
  });

  it('check: each finding with its hint', () => {
    const r = check();
    expectLines(r.stdout, [emptyFolder, ...findings].flatMap(onCheck));
    expectLines(r.stderr, ['postdump: info: checked 9 inputs: 8 posts, 1 warning, 9 errors']);
    expect(r.status).toBe(1);
  });

  it('convert --out-dir --jobs 2: only the good output, no temporary file', () => {
    const r = convert();
    expectLines(r.stderr, [...[emptyFolder, ...findings].map(onStderr), CONVERT_SUMMARY(8)]);
    expect(r.status).toBe(1);
    expect(filesBelow(r.dir)).toEqual([...r.before, 'out/seed.json'].sort());
  });

  it('convert --merge --jobs 2: the good records merged, no temporary file', () => {
    const r = merge();
    expectLines(r.stderr, [...[emptyFolder, ...findings].map(onStderr), CONVERT_SUMMARY(8)]);
    expect(r.status).toBe(1);
    expect(filesBelow(r.dir)).toEqual([...r.before, 'all.json'].sort());
    expect(JSON.parse(readFileSync(join(r.dir, 'all.json'), 'utf8'))).toEqual(seedPosts());
  });

  it('split: the good notes', () => {
    const r = split();
    expectLines(r.stderr, [...[emptyFolder, ...findings].map(onStderr), SPLIT_SUMMARY(8)]);
    expect(r.status).toBe(1);
    expect(filesBelow(r.dir).filter((f) => !r.before.includes(f))).toHaveLength(8);
  });
});

// ---------------------------------------------------------------------------------------------
// An input that fails after its first MiB: stdout streams (bounded memory, SPEC §8), so the records
// before the failure are out already; they stay a well-formed document. Files are never partial.

describe('undecodable bytes after the first MiB', () => {
  const late = Buffer.concat([...Array.from({ length: 400 }, () => Buffer.concat([seed, Buffer.from('\n')])), Buffer.from('\xff\xfe bad\n', 'latin1')]);
  const at = late.length - 7;
  const message = `invalid UTF-8 at byte ${at}; name the input's encoding with --encoding`;
  const files = { 'late.txt': late };
  const toStdout = register({ line: 'parse late.txt', files });
  const toFile = register({ line: 'parse late.txt -o out.json', files });

  it('parse: exit 1, one line, and the records already written close into valid JSON', () => {
    const r = toStdout();
    expectLines(r.stderr, [onStderr(error('late.txt', message))]);
    expect(r.status).toBe(1);
    const posts = JSON.parse(r.stdout) as Post[];
    expect(posts.length).toBeGreaterThan(0);
    expect(posts.every((p) => p.source === 'late.txt')).toBe(true);
  });

  it('parse -o: no output file', () => {
    const r = toFile();
    expectLines(r.stderr, [onStderr(error('late.txt', message))]);
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 1, stdout: '' });
    expect(filesBelow(r.dir)).toEqual(r.before);
  });
});

// ---------------------------------------------------------------------------------------------
// Outputs that cannot be written.

describe('standard output on a full disk (> /dev/full)', () => {
  if (!hasDevFull) {
    it.skip('no /dev/full on this system', () => {});
    return;
  }
  const full = (line: string): (() => Result) => register({ line, files: { 'seed.txt': seed, 'header.txt': TITLELESS_HEADER }, stdout: '/dev/full' });
  // Registered only where /dev/full exists: elsewhere the redirection would make a file of that name.
  const writers = ['parse seed.txt', 'stats seed.txt', 'check header.txt', 'schema'].map((l) => [l, full(l)] as const);

  it.each(writers)('%s: exit 1, one line about the full disk', (_line, result) => {
    const r = result();
    expectNoStackTrace(r.stderr);
    expectLines(r.stderr, ['postdump: error: cannot write standard output: no space left on device']);
    expect(r.status).toBe(1);
    expect(filesBelow(r.dir)).toEqual(r.before);
  });
});

interface OutputCase {
  name: string;
  line: string;
  files?: Record<string, Entry>;
  stderr: Line[];
}

/** The file every output case reads, which must come out of it intact. */
const INPUT = 'seed.txt';
const refused = (path: string): string => `postdump: error: ${path} is one of the inputs; refusing to overwrite it`;
const NOTE = '2021-01-22-【搜出来的文本】⋅(三)基于BERT的文本采样.md';

const OUTPUT_CASES: OutputCase[] = [
  {
    name: 'convert --merge into a missing folder',
    line: 'convert seed.txt --merge nodir/all.json',
    stderr: ['postdump: error: cannot write nodir/all.json: no such directory'],
  },
  {
    name: 'convert --out-dir below a file',
    line: 'convert seed.txt --out-dir seed.txt/out',
    stderr: ['postdump: error: cannot write seed.txt/out: a parent is not a directory'],
  },
  {
    name: 'split --out-dir below a file',
    line: 'split seed.txt --out-dir seed.txt/out',
    stderr: ['postdump: error: cannot write seed.txt/out: a parent is not a directory'],
  },
  { name: 'convert --merge over the input (same path, --force)', line: 'convert seed.txt --merge seed.txt -f json --force', stderr: [refused('seed.txt')] },
  {
    name: 'convert --merge over a symlink to the input',
    line: 'convert seed.txt --merge link.json --force',
    files: { 'link.json': { symlink: 'seed.txt' } },
    stderr: [refused('link.json')],
  },
  {
    name: 'convert --merge over the input named through a symlink',
    line: 'convert link.txt --merge seed.txt -f json --force',
    files: { 'link.txt': { symlink: 'seed.txt' } },
    stderr: [refused('seed.txt')],
  },
  {
    name: 'convert --merge over a hard link to the input',
    line: 'convert seed.txt --merge hard.json --force',
    files: { 'hard.json': { hardLink: 'seed.txt' } },
    stderr: [refused('hard.json')],
  },
  {
    name: 'convert --out-dir whose output for an input is that input (a dump named dump.json, --out-dir .)',
    line: 'convert dump.json --out-dir . -f json --force',
    files: { 'dump.json': seed },
    stderr: [refused('dump.json'), CONVERT_SUMMARY(0)],
  },
];

describe('outputs that cannot be written: exit 1, one line, the input intact, nothing left behind', () => {
  const cases = OUTPUT_CASES.map((c) => ({ ...c, result: register({ line: c.line, files: { [INPUT]: seed, ...c.files } }) }));

  it.each(cases)('$name', ({ stderr, files, result }) => {
    const r = result();
    expectNoStackTrace(r.stderr);
    expectLines(r.stderr, stderr);
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 1, stdout: '' });
    expect(filesBelow(r.dir)).toEqual(r.before);
    expect(readFileSync(join(r.dir, INPUT)).equals(seed)).toBe(true);
    for (const [name, entry] of Object.entries(files ?? {})) {
      if (typeof entry === 'object' && 'symlink' in entry) expect(lstatSync(join(r.dir, name)).isSymbolicLink()).toBe(true);
    }
  });

  const noteInput = register({ line: `split ${shellQuote(`notes/${NOTE}`)} --out-dir notes --force`, files: { [`notes/${NOTE}`]: seed } });
  it('split --out-dir holding an input named like one of its notes (--force): that note refused, the others written', () => {
    const r = noteInput();
    expectNoStackTrace(r.stderr);
    expectLines(r.stderr, [refused(`notes/${NOTE}`), SPLIT_SUMMARY(7)]);
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 1, stdout: '' });
    expect(readFileSync(join(r.dir, 'notes', NOTE)).equals(seed)).toBe(true);
    expect(readdirSync(join(r.dir, 'notes'))).toHaveLength(8);
  });
});

// ---------------------------------------------------------------------------------------------
// Unknown flags and bad values: exit 2, one line, nothing on stdout, nothing made (not even --out-dir).

type UsageCommand = Exclude<Command, 'merge'> | 'schema';
/** A good command line for each, to which a case adds its flags. */
const GOOD: Record<UsageCommand, string> = {
  parse: 'parse seed.txt',
  stats: 'stats seed.txt',
  check: 'check seed.txt',
  convert: 'convert seed.txt --out-dir out',
  split: 'split seed.txt --out-dir notes',
  schema: 'schema',
};

const usageCases: { command: UsageCommand; line: string; message: string }[] = [];
/** `flags` added to each command's good line: `message` where it applies, else an unknown option. */
function usage(flags: string, message: string, applies: readonly UsageCommand[], unknownIn: readonly UsageCommand[] = []): void {
  for (const command of applies) usageCases.push({ command, line: `${GOOD[command]} ${flags}`, message });
  const option = flags.split(' ')[0] ?? flags;
  for (const command of unknownIn) usageCases.push({ command, line: `${GOOD[command]} ${flags}`, message: `unknown option '${option}'` });
}
/** A whole command line of `command`. */
function usageLine(command: UsageCommand, line: string, message: string): void {
  usageCases.push({ command, line, message });
}

const FIELDS = 'title, author, date, readers, excerpt, url, id, source, line, series, part, categories, tags';

// Every command: an unknown flag, a bad value of a flag it shares, and a flag it lacks.
usage('--bogus', "unknown option '--bogus'", ['parse', 'convert', 'split', 'stats', 'check', 'schema']);
usage(
  '-f xml',
  "option '-f, --format <format>' argument 'xml' is invalid. Allowed choices are json, jsonl (or ndjson), csv, md (or markdown).",
  ['parse', 'convert'],
  ['stats', 'schema'],
);
usage('--fields nope', `--fields: unknown field "nope"; the fields are ${FIELDS}`, ['convert'], ['split']);
usage('--limit -1', '--limit expects a whole number (0 or more), not "-1"', ['split', 'stats'], ['check']);
usage('--encoding nope', 'unknown encoding "nope" (try auto, utf-8, gb18030, gbk, big5, utf-16le, utf-16be, shift_jis, windows-1252, cp437)', [
  'parse',
  'convert',
  'split',
  'stats',
  'check',
]);
// The selection flags are checked by one function, and parse's bad values are all in
// parse-select.test.ts: here each on convert, split or stats, in turn.
usage('--since 2021-13-01', '--since expects a real date as YYYY-MM-DD, not "2021-13-01"', ['convert', 'stats']);
usage('--until 2021-02-30', '--until expects a real date as YYYY-MM-DD, not "2021-02-30"', ['split']);
usage('--since 2022-01-01 --until 2021-01-01', '--since 2022-01-01 is after --until 2021-01-01: no post could match', ['split']);
usage('--min-readers abc', '--min-readers expects a whole number (0 or more), not "abc"', ['convert']);
usage("--author ''", '--author expects a non-empty text', ['stats']);
usage('--sort nope', "option '--sort <key>' argument 'nope' is invalid. Allowed choices are date, readers, title.", ['split']);
usage('--reverse', '--reverse applies to --sort; add --sort date|readers|title', ['convert', 'stats']);
// The input flags, the same way.
usage('--input-type xml', "option '--input-type <type>' argument 'xml' is invalid. Allowed choices are auto, html, feed, markdown, text.", ['split', 'check']);
usage('-q -v', "option '-q, --quiet' cannot be used with option '-v, --verbose'", ['parse', 'convert', 'check']);
// Format flags that do not fit the format.
usage('--excel', '--excel applies to -f csv output, not json', ['parse']);
usage('-f csv --compact', '--compact applies to -f json output, not csv', ['parse']);
usage('-f jsonl --table', '--table applies to -f md output, not jsonl', ['parse']);
// Each command's own flags (convert's and split's others are in convert.test.ts and split.test.ts).
usageLine('parse', 'parse seed.txt -o out.txt', 'cannot tell the output format from "out.txt"; add -f json|jsonl|csv|md');
usageLine('convert', 'convert seed.txt --out-dir out --jobs 0', '--jobs expects a whole number of 1 or more, not "0"');
usageLine('split', 'split seed.txt --out-dir', "option '--out-dir <dir>' argument missing");
usageLine('stats', 'stats seed.txt --top abc', '--top expects a whole number of 1 or more, not "abc"');
usageLine('schema', 'schema extra', "too many arguments for 'schema'. Expected 0 arguments but got 1.");
// A near miss: commander suggests the flag or command on a line of its own; it joins the one line.
usage('--forc', "unknown option '--forc' (Did you mean --force?)", ['parse', 'convert', 'split']);
usage('--jsno', "unknown option '--jsno' (Did you mean --json?)", ['stats', 'check']);
usageLine('schema', 'schema --hlep', "unknown option '--hlep' (Did you mean --help?)");
usageLine('parse', 'pars seed.txt', "unknown command 'pars' (Did you mean parse?)");

describe('unknown flags and bad values: exit 2, one line, nothing on stdout, nothing made', () => {
  const cases = usageCases.map((c) => ({ ...c, result: register({ line: c.line, files: { 'seed.txt': seed } }) }));

  it.each(cases)('$line', ({ message, result }) => {
    const r = result();
    expectNoStackTrace(r.stderr);
    expectLines(r.stderr, [`postdump: error: ${message}`]);
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 2, stdout: '' });
    // Not even an empty --out-dir: the flags are checked before anything is made.
    expect(readdirSync(r.dir)).toEqual(['seed.txt']);
  });

  it('covers every command', () => {
    expect([...new Set(cases.map((c) => c.command))].sort()).toEqual(['check', 'convert', 'parse', 'schema', 'split', 'stats']);
  });
});
