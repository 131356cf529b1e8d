/**
 * `npm run build:cli`: bundles the CLI (src/cli/index.ts, with commander, chalk and tinyglobby) into
 * dist/cli/postdump.cjs, convert's worker thread into dist/cli/convert-worker.cjs and the CLI's loader
 * (src/cli/start.ts) into dist/cli/start.cjs, then writes the
 * bundle's V8 code cache from a run on the seed (see start.ts).
 *
 * The bundle is ASCII only, so that start.ts reads it as Latin-1: a bundle with one non-ASCII
 * character is a two-byte string, which decoding as UTF-8 took 4.5 ms of every start (1.1 MB),
 * Latin-1 0.1 ms. esbuild escapes strings and templates (`charset: 'ascii'`) and, with its
 * whitespace minified, leaves no comments; it copies regular expression literals as they are, so
 * their non-ASCII characters are escaped here (`\uXXXX`, one per UTF-16 unit, means the same
 * character in a pattern with or without the `u` flag). Any other non-ASCII character (a tagged
 * template's raw text) fails the build.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import ts from 'typescript';

const BUNDLE = 'dist/cli/postdump.cjs';

const options = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outdir: 'dist/cli',
  outExtension: { '.js': '.cjs' },
  charset: 'ascii',
  minifyWhitespace: true,
  legalComments: 'none',
  logLevel: 'warning',
  define: { 'import.meta.dirname': '__dirname' },
};
const withModules = {
  ...options,
  // Loaded only when an input needs them, from node_modules: the bundles do not carry them.
  external: ['htmlparser2', 'domhandler', 'iconv-lite', 'yaml'],
  // Made when first read (the URL of a file costs 0.3 ms of a start, and only some inputs need it).
  define: { ...options.define, 'import.meta.url': '__import_meta.url' },
  banner: { js: "const __import_meta = { get url() { return require('node:url').pathToFileURL(__filename).href; } };" },
};
await build({ ...withModules, entryPoints: { postdump: 'src/cli/index.ts' } });
// convert's worker thread, which the CLI's pool starts (see convert-pool.ts): one file to compile,
// not the 60-odd modules of dist/ (measured: ready after about half the CPU).
await build({ ...withModules, entryPoints: { 'convert-worker': 'src/cli/convert-worker.ts' } });
// The loader on its own: it needs no import.meta.url.
await build({ ...options, entryPoints: { start: 'src/cli/start.ts' } });

writeFileSync(BUNDLE, asciiOnly(readFileSync(BUNDLE, 'utf8')));
// The cache is made by a fresh Node (no NODE_OPTIONS: V8 rejects a cache made under other flags).
execFileSync(process.execPath, ['-e', "require('./dist/cli/start.cjs').writeCodeCache('fixtures/seed.txt')"], {
  env: { ...process.env, NODE_OPTIONS: '' },
  stdio: ['ignore', 'ignore', 'inherit'],
});

/** `code` with the non-ASCII characters of its regular expression literals escaped; throws on any other. */
function asciiOnly(code) {
  if (!/[^\0-\x7f]/.test(code)) return code;
  const file = ts.createSourceFile(BUNDLE, code, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  const literals = [];
  const visit = (node) => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) literals.push([node.getStart(file), node.end]);
    else ts.forEachChild(node, visit);
  };
  visit(file);
  let out = '';
  let done = 0;
  for (const [start, end] of literals) {
    out += code.slice(done, start) + escapePattern(code.slice(start, end));
    done = end;
  }
  out += code.slice(done);
  const left = /[^\0-\x7f]/.exec(out);
  if (left !== null)
    throw new Error(`${BUNDLE}: a non-ASCII character outside a regular expression literal: ${JSON.stringify(out.slice(left.index - 60, left.index + 20))}`);
  return out;
}

function escapePattern(literal) {
  return literal.replace(/(\\?)([^\0-\x7f])/g, (_match, backslash, char) => {
    // `\é` (an identity escape) would need its backslash dropped: no pattern has one today.
    if (backslash !== '') throw new Error(`${BUNDLE}: an escaped non-ASCII character in ${literal}`);
    return `\\u${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  });
}
