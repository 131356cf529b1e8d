/**
 * The package as a user gets it, end to end: `npm pack` gives a tarball of bin/, dist/ and the
 * documents only; `npm install <tarball>` into an empty project works (the dependencies come from
 * the npm cache or registry, nothing from this repository); there `npx postdump` runs, including
 * the lazily loaded parts (HTML, CSV, iconv-lite, YAML, globs, worker threads); an ESM program
 * imports the library; and a strict TypeScript program, with the README's library examples,
 * type-checks against the installed types and runs. One pack and one install serve every case.
 *
 * Packs the current build (`npm test` builds first): `npm pack --ignore-scripts` does not rebuild.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as face from '../src/index.js';
import { formatCsv, formatJson, formatJsonLines, formatMarkdown, parse } from '../src/index.js';
import { repoRoot, seedPath } from './helpers/cli.js';
import { temporaryFolders } from './helpers/workspace.js';

const tempDir = temporaryFolders('pack');
const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment of npm and of the installed program: the test's own, without what `npm test`
 * adds about this repository (npm_config_local_prefix would point a nested npm at it) or what
 * would colour output.
 */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(npm_package_|npm_lifecycle_|npm_config_local_prefix$|npm_command$|INIT_CWD$|FORCE_COLOR$|NO_COLOR$|NODE_OPTIONS$)/.test(name)) continue;
    env[name] = value;
  }
  return { ...env, NO_COLOR: '1' };
}

function run(command: string, args: readonly string[], cwd: string): Run {
  const r = spawnSync(command, args, { cwd, env: cleanEnv(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs and expects status 0, or fails with what the command printed. */
function ok(command: string, args: readonly string[], cwd: string): Run {
  const r = run(command, args, cwd);
  expect(r.status, `${command} ${args.join(' ')}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r;
}

let files: string[] = [];
let consumer = '';
let installed = '';

beforeAll(() => {
  expect(existsSync(join(repoRoot, 'dist/index.js')) && existsSync(join(repoRoot, 'dist/cli/postdump.cjs')), 'build first: npm run build').toBe(true);
  const work = tempDir();
  const [pack] = JSON.parse(ok('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], repoRoot).stdout) as [
    { filename: string; files: { path: string }[] },
  ];
  files = pack.files.map((f) => f.path).sort();
  consumer = join(work, 'consumer');
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), `${JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2)}\n`);
  // --prefer-offline: the dependencies' metadata and tarballs come from npm's cache when it has them.
  ok('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', join(work, pack.filename)], consumer);
  installed = join(consumer, 'node_modules/postdump');
  cpSync(seedPath, join(consumer, 'dump.txt'));
  cpSync(join(repoRoot, 'fixtures/html/listing.html'), join(consumer, 'listing.html'));
}, 180_000);

describe('the tarball', () => {
  it('holds bin/, dist/, package.json, README.md, LICENSE and CHANGELOG.md, and nothing else', () => {
    const outside = files.filter((path) => !/^(?:package\.json|README\.md|LICENSE|CHANGELOG\.md|bin\/[^/]+|dist\/.+)$/.test(path));
    expect(outside).toEqual([]);
    for (const path of [
      'package.json',
      'README.md',
      'LICENSE',
      'CHANGELOG.md',
      'bin/postdump.js',
      'bin/package.json',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/cli/postdump.cjs',
      'dist/cli/postdump.cache',
      'dist/cli/start.cjs',
      'dist/cli/convert-worker.cjs',
    ])
      expect(files).toContain(path);
    expect(files.filter((path) => /(?:^|\/)(?:tests?|fixtures|src|bench|node_modules)\/|\.map$|(?<!\.d)\.ts$|\.tgz$/.test(path))).toEqual([]);
  });

  it('holds no stale build output: each dist file comes from a source file', () => {
    // The bundle of src/cli/index.ts and its code cache are named for the program.
    const stale = files
      .filter((path) => path.startsWith('dist/') && path !== 'dist/cli/postdump.cjs' && path !== 'dist/cli/postdump.cache')
      .filter((path) => !existsSync(join(repoRoot, 'src', path.slice('dist/'.length).replace(/\.d\.ts$|\.c?js$/, '.ts'))));
    expect(stale).toEqual([]);
  });

  it('has no source map reference, and every relative import of a shipped module is shipped', () => {
    const shipped = new Set(files);
    for (const path of files.filter((p) => /\.(?:c?js|d\.ts)$/.test(p))) {
      const code = readFileSync(join(installed, path), 'utf8');
      expect(code, path).not.toMatch(/sourceMappingURL/);
      for (const m of code.matchAll(/(?:from|import|require)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
        const target = relative(installed, resolve(dirname(join(installed, path)), m[1] as string));
        expect(shipped.has(target), `${path} imports ${m[1]}`).toBe(true);
      }
    }
  });

  it("package.json's entry points are in it", () => {
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
      main: string;
      types: string;
      exports: Record<string, string | Record<string, string>>;
    };
    const targets = [...Object.values(manifest.bin), manifest.main, manifest.types];
    for (const entry of Object.values(manifest.exports)) targets.push(...(typeof entry === 'string' ? [entry] : Object.values(entry)));
    for (const target of targets) expect(files, target).toContain(target.replace(/^\.\//, ''));
    // `types` first, so that TypeScript finds the declarations before the default condition.
    expect(Object.keys(manifest.exports['.'] as Record<string, string>)[0]).toBe('types');
  });
});

describe('the installed command', () => {
  // `--no`: never fetch a package of that name from the registry; `--`: the rest is the command's.
  it('npx postdump --version prints the version of package.json', () => {
    for (const flag of ['--version', '-V']) expect(ok('npx', ['--no', '--', 'postdump', flag], consumer).stdout).toBe(`${version}\n`);
  });

  it('npx postdump parse dump.txt prints the records', () => {
    const r = ok('npx', ['--no', '--', 'postdump', 'parse', 'dump.txt'], consumer);
    expect(r.stdout).toBe(formatJson(parse(readFileSync(seedPath), { source: 'dump.txt' }).posts));
    expect(r.stderr).toBe('');
  });

  it('starts from the code cache it ships (this Node takes it)', () => {
    const start = JSON.stringify(join(installed, 'dist/cli/start.cjs'));
    const r = ok(process.execPath, ['-e', `process.stdout.write(String(require(${start}).compileBundle().cachedDataRejected))`], consumer);
    expect(r.stdout).toBe('false');
  });

  it('finds the modules it loads only when needed: HTML, CSV, iconv-lite, YAML, globs, worker threads', () => {
    writeFileSync(join(consumer, 'ascii.txt'), 'A post\nBy Jianlin Su | 2026-03-19 | 5246 readers | Text.\n');
    const bin = join(consumer, 'node_modules/.bin/postdump');
    const lines = [
      `${bin} parse listing.html -f csv --fields id,title`,
      `${bin} parse ascii.txt --encoding cp437 -f jsonl --fields title`,
      `${bin} split dump.txt --out-dir notes`,
      `${bin} convert '*.txt' --out-dir out -f md --jobs 2`,
      'ls notes | wc -l; ls out',
    ];
    const r = run('bash', ['-c', lines.map((line) => `${line}; echo "status $?"`).join('\n')], consumer);
    // split and convert end with a summary line.
    expect(r.stderr.split('\n').filter((line) => line !== '' && !line.startsWith('postdump: info: '))).toEqual([]);
    const out = r.stdout;
    expect(out).toMatch(/^id,title\n\d+,.+\n/);
    expect(out).toContain('{"title":"A post"}\n');
    expect(out).toMatch(/status 0\n8\nascii\.md\ndump\.md\n/);
    expect(out.match(/status 0/g)).toHaveLength(lines.length);
  });
});

describe('the installed library', () => {
  it('imports from ESM: the export list, parse, parseStream over a file stream, every formatter, PostdumpError', () => {
    writeFileSync(
      join(consumer, 'consumer.mjs'),
      `import { parse, parseStream, formatJson, formatJsonLines, formatCsv, formatMarkdown, PostdumpError } from 'postdump';
import * as face from 'postdump';
import { createReadStream, readFileSync } from 'node:fs';

const { posts, diagnostics } = parse(readFileSync('dump.txt'), { source: 'dump.txt' });
const streamed = [];
for await (const post of parseStream(createReadStream('dump.txt'), { source: 'dump.txt' })) streamed.push(post);
let csvPieces = '';
for await (const piece of formatCsv(parseStream(createReadStream('dump.txt'), { source: 'dump.txt' }))) csvPieces += piece;
let error = null;
try {
  parse(new Uint8Array([0x42, 0, 0x79]));
} catch (e) {
  error = { postdumpError: e instanceof PostdumpError, code: e.diagnostic.code, exitCode: e.exitCode };
}
const page = parse(readFileSync('listing.html'), { source: 'listing.html' });
console.log(JSON.stringify({
  exports: Object.keys(face).sort(),
  posts, diagnostics, streamed, csvPieces, error, pagePosts: page.posts.length,
  json: formatJson(posts), jsonl: formatJsonLines(posts), csv: formatCsv(posts, { excel: true }), md: formatMarkdown(posts),
}));
`,
    );
    const r = ok(process.execPath, ['consumer.mjs'], consumer);
    expect(r.stderr).toBe('');
    const got = JSON.parse(r.stdout) as Record<string, unknown>;
    const expected = parse(readFileSync(seedPath), { source: 'dump.txt' });
    expect(got).toEqual({
      exports: Object.keys(face).sort(),
      posts: expected.posts,
      diagnostics: expected.diagnostics,
      streamed: expected.posts,
      csvPieces: formatCsv(expected.posts),
      error: { postdumpError: true, code: 'BINARY_INPUT', exitCode: 1 },
      pagePosts: parse(readFileSync(join(repoRoot, 'fixtures/html/listing.html')), { source: 'listing.html' }).posts.length,
      json: formatJson(expected.posts),
      jsonl: formatJsonLines(expected.posts),
      csv: formatCsv(expected.posts, { excel: true }),
      md: formatMarkdown(expected.posts),
    });
  });

  it("type-checks a strict TypeScript consumer against the installed declarations, and runs it with the README's examples", () => {
    const ts = join(consumer, 'ts');
    mkdirSync(ts, { recursive: true });
    writeFileSync(
      join(ts, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          lib: ['ES2023'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          exactOptionalPropertyTypes: true,
          noUncheckedIndexedAccess: true,
          verbatimModuleSyntax: true,
          // The package's declarations are checked too, not skipped.
          skipLibCheck: false,
          // Node's types from this repository: the consumer installs nothing but postdump.
          typeRoots: [join(repoRoot, 'node_modules/@types')],
          types: ['node'],
          outDir: 'out',
        },
        include: ['*.ts'],
      }),
    );
    writeFileSync(
      join(ts, 'consumer.ts'),
      `import { createReadStream, readFileSync } from 'node:fs';
import {
  parse, parseStream, formatJson, formatJsonLines, formatCsv, formatMarkdown, PostdumpError,
  type Post, type Diagnostic, type DiagnosticCode, type ParseOptions, type ParseResult, type PostField, type ExitCode,
} from 'postdump';

// Options whose values may be undefined are fine under exactOptionalPropertyTypes.
const source: string | undefined = process.argv[2];
const options: ParseOptions = { source, encoding: 'auto', inputType: 'text' };
const result: ParseResult = parse(readFileSync('dump.txt'), options);
const posts: Post[] = result.posts;
const first: Post | undefined = posts[0];
const readers: number | null = first?.readers ?? null;
const codes: DiagnosticCode[] = result.diagnostics.map((d: Diagnostic) => d.code);
const fields: PostField[] = ['title', 'readers', 'series'];
const text: string = formatJsonLines(posts, { fields }) + formatCsv(posts, { excel: true }) + formatMarkdown(posts, { table: true });
let streamed = '';
for await (const piece of formatJson(parseStream(createReadStream('dump.txt'), { onDiagnostic: (d) => codes.push(d.code) }), { compact: true })) streamed += piece;
try {
  parse(new Uint8Array([0]));
} catch (e) {
  if (e instanceof PostdumpError) {
    const status: ExitCode = e.exitCode;
    const diagnostic: Diagnostic = e.diagnostic;
    console.log(status, diagnostic.code, readers, codes.length, text.length > 0, streamed.length > 0);
  }
}

// What a strict consumer must not get away with: each line below is an error, or tsc fails.
// Type-checked only: never called.
export function mistakes(): void {
  // @ts-expect-error readers may be null
  const count: number = posts[0]?.readers;
  // @ts-expect-error noUncheckedIndexedAccess: there may be no first post
  posts[0].title;
  // @ts-expect-error not a field
  formatCsv(posts, { fields: ['nope'] });
  // @ts-expect-error input is bytes or text
  parse(42);
  // @ts-expect-error not an input type
  parse('', { inputType: 'xml' });
  // @ts-expect-error an array gives the whole text, not pieces
  const pieces: AsyncGenerator<string> = formatJson(posts);
  void count, pieces;
}
`,
    );
    const examples = [...readFileSync(join(repoRoot, 'README.md'), 'utf8').matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1] as string);
    expect(examples.length).toBeGreaterThanOrEqual(2);
    examples.forEach((code, i) => {
      writeFileSync(join(ts, `readme-${i + 1}.ts`), code);
    });
    ok(process.execPath, [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', 'ts'], consumer);
    expect(ok(process.execPath, ['ts/out/consumer.js', 'dump.txt'], consumer).stdout).toBe('1 BINARY_INPUT 81957 2 true true\n');
    for (const [i] of examples.entries()) {
      const r = ok(process.execPath, [`ts/out/readme-${i + 1}.js`], consumer);
      expect(r.stderr, `README example ${i + 1}`).toBe('');
    }
  });
});
