/**
 * The CLI's entry, which bin/postdump.js requires: it runs the bundle (postdump.cjs: the CLI,
 * commander, chalk and tinyglobby) from V8's code cache of it (postdump.cache, written by `npm run
 * build`), so that a start does not compile them again: `parse` of the seed costs 1.21-1.25 × the CPU
 * time of `node -e 0` with it, 1.42 × without. A cache this Node cannot use (another version of Node
 * or V8, any V8 flag, a bundle of another length) is rejected by V8, and the bundle compiled as it
 * would be without one: nothing is said. V8 checks the source by its length only (a cache of another
 * script of the same length runs that script's code, measured), so cache and bundle come from one
 * build, which removes the old cache first.
 *
 * The bundle must not `import()` a module outside it: a script compiled here has no loader for
 * that in Node 20 (a test holds the bundle to it).
 *
 * The build makes the bundle ASCII only (scripts/build-cli.mjs), so that it is read as Latin-1: a
 * two-byte string of it, decoded from UTF-8, cost 4.5 ms of every start.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Script } from 'node:vm';

// import.meta.dirname, not URLs made from import.meta.url (0.3 ms of a start); __dirname in start.cjs.
const BUNDLE = join(import.meta.dirname, 'postdump.cjs');
const CODE_CACHE = join(import.meta.dirname, 'postdump.cache');

/** The bundle compiled as Node compiles a CommonJS module, with the code cache when there is one. */
export function compileBundle(): Script {
  let cachedData: Buffer | null = null;
  try {
    cachedData = readFileSync(CODE_CACHE);
  } catch {
    // None (a build without it): compiled from the source alone.
  }
  const source = `(function (exports, require, module, __filename, __dirname) {${readFileSync(BUNDLE, 'latin1')}\n})`;
  return new Script(source, { filename: BUNDLE, ...(cachedData === null ? {} : { cachedData }) });
}

/** Runs the CLI on `process.argv`; returns the compiled bundle. */
export function startCli(): Script {
  const script = compileBundle();
  const module = { exports: {} };
  const main = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: object, filename: string, dirname: string) => void;
  // start.cjs's own require (it is CommonJS): it resolves from the bundle's folder, and Node's
  // `module` (for createRequire) is not loaded by a start (0.4 ms).
  main(module.exports, lazyBuiltins(require), module, BUNDLE, import.meta.dirname);
  return script;
}

/**
 * Node's modules that the bundle's code loads when it starts but uses only for some inputs or
 * commands: commander's `child_process` (for executable subcommands, which postdump has none of),
 * `zlib` (compressed inputs and archives), `os` (the names of temporary files, `convert --jobs`),
 * `fs/promises` (folders, FIFOs, `-o`: it loads readline and fs watchers), `v8` (the heap's limit,
 * for a run that holds posts), `module` (createRequire, for the libraries an input needs), `stream`
 * (standard input, MHTML, archives, and stdout over a pipe or terminal: see index.ts). Each costs
 * 0.4-3 ms of a start.
 */
const LAZY_BUILTINS = new Set(['node:child_process', 'node:os', 'node:zlib', 'node:fs/promises', 'node:v8', 'node:module', 'node:stream']);

/**
 * `require`, but a module of `LAZY_BUILTINS` is loaded when one of its exports is first read: the
 * bundle reads them at the call (`(0, import_node_zlib.createGunzip)()`), not when it starts.
 */
function lazyBuiltins(require: NodeJS.Require): NodeJS.Require {
  const lazy = (id: string): object => {
    let loaded: object | undefined;
    const load = (): object => (loaded ??= require(id) as object);
    return new Proxy(
      {},
      {
        get: (_, key) => Reflect.get(load(), key),
        has: (_, key) => Reflect.has(load(), key),
        ownKeys: () => Reflect.ownKeys(load()),
        getOwnPropertyDescriptor: (_, key) => {
          const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
          // A proxy may not report a property its (empty) target lacks as non-configurable.
          return descriptor === undefined ? undefined : { ...descriptor, configurable: true };
        },
      },
    );
  };
  return Object.assign((id: string): unknown => (LAZY_BUILTINS.has(id) ? lazy(id) : require(id)), require);
}

/**
 * For `npm run build`: runs the CLI on the seed (JSON to stdout), compiled afresh (the last build's
 * cache removed), and when it is done writes the code cache of the bundle, which then holds every
 * function that run compiled.
 */
export function writeCodeCache(seed: string): void {
  rmSync(CODE_CACHE, { force: true });
  const [node = process.execPath, bin = BUNDLE] = process.argv;
  process.argv = [node, bin, 'parse', seed];
  const script = startCli();
  process.on('exit', (code) => {
    if (code === 0) writeFileSync(CODE_CACHE, script.createCachedData());
  });
}
