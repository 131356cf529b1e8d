/**
 * The library's public face (`src/index.ts`, published as `postdump`): its export list, pinned so
 * that an API change is a visible diff; the contract of `parse`, `parseStream` and the formatters
 * as a consumer sees it; TSDoc on every export; and a library that never writes to the console or
 * ends the process.
 */
import { Buffer } from 'node:buffer';
import { createReadStream, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as face from '../src/index.js';
import { formatCsv, formatJson, formatJsonLines, formatMarkdown, parse, parseStream, PostdumpError, type Diagnostic, type Post } from '../src/index.js';
import { repoRoot, seedPath } from './helpers/cli.js';

// The package's name, through a variable: Node resolves it to the built `dist/index.js` (a package
// may import itself by name), and the type checker does not need a build to pass.
const PACKAGE = 'postdump';
// Sorted by code unit, as `sort()` leaves them.
const EXPORTS = ['PostdumpError', 'formatCsv', 'formatJson', 'formatJsonLines', 'formatMarkdown', 'parse', 'parseStream'];

const seedBytes = readFileSync(seedPath);

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('export list', () => {
  it('the published package exports exactly these values', async () => {
    const built: object = await import(PACKAGE);
    expect(Object.keys(built).sort()).toEqual(EXPORTS);
  });

  it('the source face exports the same (a stale build would differ)', () => {
    expect(Object.keys(face).sort()).toEqual(EXPORTS);
  });
});

describe('parse', () => {
  it('returns { posts, diagnostics }, the same from bytes and from text', () => {
    const fromBytes = parse(seedBytes, { source: 'seed.txt' });
    expect(Object.keys(fromBytes)).toEqual(['posts', 'diagnostics']);
    expect(fromBytes.posts).toHaveLength(8);
    expect(parse(seedBytes.toString('utf8'), { source: 'seed.txt' })).toEqual(fromBytes);
    expect(parse(new Uint8Array(seedBytes), { source: 'seed.txt' })).toEqual(fromBytes);
  });

  it('takes options whose values are undefined (exactOptionalPropertyTypes consumers)', () => {
    const source: string | undefined = undefined;
    expect(parse(seedBytes, { source, encoding: undefined, inputType: undefined, maxLineBytes: undefined })).toEqual(parse(seedBytes));
  });

  it('reports an input without posts as data, and throws a PostdumpError for bytes that are not text', () => {
    const { posts, diagnostics } = parse('no posts here\n');
    expect(posts).toEqual([]);
    expect(diagnostics.map((d) => `${d.severity} ${d.code}`)).toEqual(['info SKIPPED_NOISE', 'error NO_POSTS']);
    const thrown = (() => {
      try {
        parse(new Uint8Array([0x42, 0, 0x79]), { source: 'x.bin' });
      } catch (e) {
        return e;
      }
    })();
    expect(thrown).toBeInstanceOf(PostdumpError);
    expect(thrown).toMatchObject({ exitCode: 1, diagnostic: { code: 'BINARY_INPUT', source: 'x.bin' } });
  });
});

describe('parseStream', () => {
  it('takes a Node readable: a file stream gives what parse gives', async () => {
    const diagnostics: Diagnostic[] = [];
    const posts = await collect(parseStream(createReadStream(seedPath), { source: 'seed.txt', onDiagnostic: (d) => diagnostics.push(d) }));
    expect({ posts, diagnostics }).toEqual(parse(seedBytes, { source: 'seed.txt' }));
  });

  it('takes any async iterable of bytes, cut anywhere', async () => {
    const pieces = Array.from({ length: Math.ceil(seedBytes.length / 7) }, (_, i) => seedBytes.subarray(i * 7, i * 7 + 7));
    expect(await collect(parseStream(Readable.from(pieces), { source: 'seed.txt' }))).toEqual(parse(seedBytes, { source: 'seed.txt' }).posts);
  });

  it('yields each post as soon as it is complete, before the input ends', async () => {
    // The first chunk ends with the second post's header: the first post is complete then. The
    // source notes how many posts the consumer had when it was asked for the next chunk.
    const text = seedBytes.toString('utf8');
    const cut = text.indexOf('\n', text.indexOf('By ', text.indexOf('\n', text.indexOf('By ')) + 1)) + 1;
    let received = 0;
    let receivedBeforeRest = -1;
    async function* source(): AsyncGenerator<Uint8Array> {
      yield Buffer.from(text.slice(0, cut));
      receivedBeforeRest = received;
      yield Buffer.from(text.slice(cut));
    }
    // A named encoding: nothing waits for auto-detection.
    for await (const _post of parseStream(source(), { encoding: 'utf-8' })) received++;
    expect(receivedBeforeRest).toBe(1);
    expect(received).toBe(8);
  });

  it('with encoding auto, yields posts once the first 64 KiB have told the encoding', async () => {
    const copies = 40; // about 240 KiB
    let received = 0;
    let receivedBeforeLast = -1;
    async function* source(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < copies - 1; i++) yield seedBytes;
      receivedBeforeLast = received;
      yield seedBytes;
    }
    for await (const _post of parseStream(source())) received++;
    expect(receivedBeforeLast).toBeGreaterThan(8 * (copies - 12));
    expect(received).toBe(8 * copies);
  });
});

describe('formatters', () => {
  const posts = parse(seedBytes, { source: 'seed.txt' }).posts;

  it('take an array and give the whole text (JSON: what JSON.stringify gives)', () => {
    expect(formatJson(posts)).toBe(`${JSON.stringify(posts, null, 2)}\n`);
    expect(formatJson(posts, { compact: true })).toBe(`${JSON.stringify(posts)}\n`);
    expect(formatJsonLines(posts)).toBe(posts.map((p) => `${JSON.stringify(p)}\n`).join(''));
    expect(formatCsv(posts, { fields: ['title', 'readers'] }).split('\n')[0]).toBe('title,readers');
    expect(formatMarkdown(posts, { table: true }).split('\n')[0]).toBe('| title | author | date | readers |');
  });

  it('take an async iterable and yield text before it ends', async () => {
    // 300 posts of about 1 KiB: more than one 64 KiB piece of JSON Lines.
    const many: Post[] = Array.from({ length: 300 }, (_, i) => ({ ...(posts[i % posts.length] as Post), line: i + 1 }));
    let pieces = 0;
    let piecesBeforeEnd = -1;
    async function* source(): AsyncGenerator<Post> {
      yield* many;
      piecesBeforeEnd = pieces;
    }
    const text: string[] = [];
    for await (const piece of formatJsonLines(source())) {
      pieces++;
      text.push(piece);
    }
    expect(piecesBeforeEnd).toBeGreaterThan(0);
    expect(text.join('')).toBe(formatJsonLines(many));
  });
});

describe('arguments (checked once, each bad one a TypeError or a RangeError that names it)', () => {
  const good: Post = { title: 't', author: 'a', date: '2021-01-01', readers: 1, excerpt: 'x', url: null, id: null, source: '-', line: 1 };
  // Calls a JavaScript caller (or a cast) can make.
  const call =
    (f: (...args: never[]) => unknown, ...args: unknown[]) =>
    () =>
      (f as (...a: unknown[]) => unknown)(...args);

  it.each([
    ['parse(null)', call(parse, null), TypeError, 'parse: input must be a string or a Uint8Array (a Buffer is one), not null'],
    ['parse()', call(parse), TypeError, 'parse: input must be a string or a Uint8Array (a Buffer is one), not undefined'],
    ['parse(new ArrayBuffer(8))', call(parse, new ArrayBuffer(8)), TypeError, 'not an ArrayBuffer (wrap an ArrayBuffer: new Uint8Array(buffer))'],
    ['parse(8)', call(parse, 8), TypeError, 'not a number (8)'],
    ['parse(text, null)', call(parse, 'x', null), TypeError, 'parse: options must be an object, not null'],
    ['parse(text, "utf-8")', call(parse, 'x', 'utf-8'), TypeError, 'parse: options must be an object, not a string'],
    [
      'maxLineBytes: NaN',
      call(parse, 'x', { maxLineBytes: Number.NaN }),
      RangeError,
      'parse: options.maxLineBytes must be a whole number of bytes, 1 or more, not NaN',
    ],
    ['maxLineBytes: 0', call(parse, 'x', { maxLineBytes: 0 }), RangeError, 'not 0'],
    ['maxLineBytes: 1.5', call(parse, 'x', { maxLineBytes: 1.5 }), RangeError, 'not 1.5'],
    ['maxLineBytes: Infinity', call(parse, 'x', { maxLineBytes: Number.POSITIVE_INFINITY }), RangeError, 'not Infinity'],
    ['maxLineBytes: "x"', call(parse, 'x', { maxLineBytes: 'x' }), TypeError, 'parse: options.maxLineBytes must be a number, not a string'],
    [
      'inputType: "xml"',
      call(parse, 'x', { inputType: 'xml' }),
      RangeError,
      'parse: options.inputType must be "auto", "html", "feed", "markdown", "text", not "xml"',
    ],
    ['encoding: 5', call(parse, 'x', { encoding: 5 }), TypeError, 'parse: options.encoding must be a string, not a number (5)'],
    ['source: null', call(parse, 'x', { source: null }), TypeError, 'parse: options.source must be a string, not null'],
    [
      'a misspelt option',
      call(parse, 'x', { maxLinesBytes: 5 }),
      RangeError,
      'parse: unknown option "maxLinesBytes" (the options are source, encoding, inputType, maxLineBytes)',
    ],
    ['onDiagnostic given to parse', call(parse, 'x', { onDiagnostic: () => {} }), RangeError, 'unknown option "onDiagnostic"'],
    [
      'parseStream("text")',
      call(parseStream, 'text'),
      TypeError,
      'parseStream: source must be an async iterable of chunks (a Node readable stream is one), not a string',
    ],
    ['parseStream(null)', call(parseStream, null), TypeError, 'not null'],
    [
      'parseStream onDiagnostic: 5',
      call(parseStream, [], { onDiagnostic: 5 }),
      TypeError,
      'parseStream: options.onDiagnostic must be a function, not a number (5)',
    ],
    ['formatJson of a post missing fields', call(formatJson, [{ title: 't', date: '2021-01-01' }]), TypeError, 'formatJson: posts[0].author is missing'],
    [
      'formatCsv of a post with a string count',
      call(formatCsv, [good, { ...good, readers: '5' }]),
      TypeError,
      'formatCsv: posts[1].readers must be a number or null, not a string',
    ],
    ['formatJsonLines of null in the list', call(formatJsonLines, [good, null]), TypeError, 'formatJsonLines: posts[1] must be a post object, not null'],
    [
      'formatMarkdown of one post, not a list',
      call(formatMarkdown, good),
      TypeError,
      'formatMarkdown: posts must be an array (or an iterable, or an async iterable) of posts, not an object',
    ],
    ['formatJson of a string', call(formatJson, 'posts'), TypeError, 'not a string'],
    ['fields: "title"', call(formatJson, [good], { fields: 'title' }), TypeError, 'formatJson: options.fields must be an array of field names, not a string'],
    [
      'fields: ["nope"]',
      call(formatJson, [good], { fields: ['nope'] }),
      RangeError,
      'formatJson: options.fields: unknown field "nope"; the fields are title, author',
    ],
    ['fields named twice', call(formatJson, [good], { fields: ['title', 'title'] }), RangeError, 'formatJson: options.fields: "title" is named twice'],
    ['compact: "yes"', call(formatJson, [good], { compact: 'yes' }), TypeError, 'formatJson: options.compact must be a boolean, not a string'],
    [
      'excel given to formatJson',
      call(formatJson, [good], { excel: true }),
      RangeError,
      'formatJson: unknown option "excel" (the options are fields, compact)',
    ],
    [
      'tags of numbers',
      call(formatJson, [{ ...good, tags: [1] }], { fields: ['tags'] }),
      TypeError,
      'formatJson: posts[0].tags must be an array of strings, not an array',
    ],
  ])('%s', (_name, f, type, message) => {
    expect(f).toThrow(type);
    expect(f).toThrow(message);
  });

  it('a post needs only the fields written; enrichment may be absent (written as null or [])', () => {
    expect(formatJsonLines([{ title: 't', date: '2021-01-01' } as Post], { fields: ['title', 'date'] })).toBe('{"title":"t","date":"2021-01-01"}\n');
    expect(formatJsonLines([good], { fields: ['series', 'tags'] })).toBe('{"series":null,"tags":[]}\n');
  });

  it('from the async forms, a bad chunk or post throws from the iteration', async () => {
    await expect(collect(parseStream([Buffer.from('x'), 5] as unknown as AsyncIterable<Uint8Array>))).rejects.toThrow(
      new TypeError('parseStream: chunk 1 of the source must be a string or a Uint8Array, not a number (5)'),
    );
    const posts = (async function* () {
      yield good;
      yield { ...good, line: undefined } as unknown as Post;
    })();
    await expect(collect(formatJsonLines(posts))).rejects.toThrow(new TypeError('formatJsonLines: posts[1].line is missing'));
  });
});

describe('the library never writes to the console nor ends the process', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('at run time: parsing noisy, broken, HTML and unreadable inputs and formatting calls none of them', async () => {
    const calls = [
      vi.spyOn(process.stdout, 'write'),
      vi.spyOn(process.stderr, 'write'),
      ...(['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((name) => vi.spyOn(console, name)),
      vi.spyOn(process, 'exit').mockImplementation(() => undefined as never),
      vi.spyOn(process, 'abort').mockImplementation(() => undefined as never),
    ];
    for (const path of [
      'fixtures/variants/broken-headers.txt',
      'fixtures/variants/sidebar-noise.txt',
      'fixtures/html/listing.html',
      'fixtures/html/no-posts.html',
    ]) {
      const { posts } = parse(readFileSync(join(repoRoot, path)), { source: path });
      formatMarkdown(posts);
      formatCsv(posts, { excel: true });
    }
    await collect(formatJson(parseStream(createReadStream(join(repoRoot, 'fixtures/variants/header-without-title.txt')))));
    expect(() => parse(Buffer.from('By\0'))).toThrow(PostdumpError);
    expect(() => parse(Buffer.from('x'), { encoding: 'no-such-encoding' })).toThrow(PostdumpError);
    for (const spy of calls) expect(spy).not.toHaveBeenCalled();
  });

  it('in its code: no module the package loads names the console, the standard streams or process.exit', () => {
    // Every module reachable from the built entry point, static and lazy imports alike.
    const entry = join(repoRoot, 'dist/index.js');
    const seen = new Set<string>();
    const queue = [entry];
    while (queue.length > 0) {
      const file = queue.pop() as string;
      if (seen.has(file)) continue;
      seen.add(file);
      const code = readFileSync(file, 'utf8');
      for (const m of code.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) queue.push(resolve(dirname(file), m[1] as string));
    }
    expect(seen.size).toBeGreaterThan(15);
    // Comments may show a consumer's code (TSDoc examples print); the code may not.
    const code = (file: string): string =>
      readFileSync(file, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/^\s*\/\/.*$/gm, '');
    const offenders = [...seen].filter((file) => /\bconsole\.|process\.(?:exit|abort|stdout|stderr|stdin|exitCode)\b/.test(code(file)));
    expect(offenders.map((file) => relative(repoRoot, file))).toEqual([]);
  });
});

describe('TSDoc', () => {
  /**
   * Documentation missing from exports whose source is outside the library's own files; empty
   * this list when they are documented (the test fails until then, so the list cannot go stale).
   */

  it('on every export of the public face: functions and each overload, types, classes, and every field', () => {
    const index = fileURLToPath(new URL('../src/index.ts', import.meta.url));
    const program = ts.createProgram([index], {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      noEmit: true,
    });
    const checker = program.getTypeChecker();
    const module = checker.getSymbolAtLocation(program.getSourceFile(index) as ts.SourceFile) as ts.Symbol;
    const documented = (docs: ts.SymbolDisplayPart[]): boolean => ts.displayPartsToString(docs).trim().length > 0;
    const undocumented: string[] = [];
    const exported = checker.getExportsOfModule(module);
    for (const alias of exported) {
      const symbol = alias.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(alias) : alias;
      const name = alias.getName();
      if (!documented(symbol.getDocumentationComment(checker))) undocumented.push(name);
      if (symbol.flags & ts.SymbolFlags.Function) {
        const signatures = checker.getSignaturesOfType(checker.getTypeOfSymbol(symbol), ts.SignatureKind.Call);
        signatures.forEach((signature, i) => {
          if (!documented(signature.getDocumentationComment(checker))) undocumented.push(`${name} (overload ${i + 1})`);
        });
      }
      if (symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.Class)) {
        for (const member of symbol.members?.values() ?? []) {
          if (member.flags & ts.SymbolFlags.Constructor) continue;
          if (!documented(member.getDocumentationComment(checker))) undocumented.push(`${name}.${member.getName()}`);
        }
      }
    }
    expect(exported.length).toBeGreaterThanOrEqual(EXPORTS.length + 10);
    expect(undocumented).toEqual([]);
  });
});
