import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { diagnostic } from '../diagnostics.js';
import { compareText } from '../select.js';
import type { Summary } from '../pipeline.js';
import type { Diagnostic } from '../types.js';

/** One input file, and where its output goes relative to `--out-dir`. */
export interface InputFile {
  /** The path to read, as the user named it (joined with the folder's or the glob's). `-` is stdin. */
  path: string;
  /** The path below the folder or glob base it was found in (a named file: its own name). */
  relative: string;
}

/** What an argument gave: files, or a finding about it (a folder without inputs, a glob that matches none). */
type InputEntry = InputFile | { problem: Diagnostic };

/** Files of these kinds are inputs when found in a folder or by a glob; named files may be anything. */
const INPUT_EXTENSIONS = ['.txt', '.html', '.htm'];
const GLOB_MAGIC = /[*?[\]{}]/;

/**
 * Arguments → input files, in argument order: a file as is, a folder's input files recursively
 * (hidden ones skipped, sorted by name), and a quoted glob (`'pages/**\/*.html'`, for shells that do not
 * expand globs) through tinyglobby. A path that does not exist stays, so reading it reports it. A
 * file reached twice is read once.
 */
export async function expandInputs(args: readonly string[]): Promise<InputEntry[]> {
  const entries: InputEntry[] = [];
  const seen = new Set<string>();
  const add = (file: InputFile): void => {
    const key = file.path === '-' ? '-' : resolve(file.path);
    if (seen.has(key)) return;
    seen.add(key);
    entries.push(file);
  };
  for (const arg of args) {
    const info = arg === '-' ? null : await stat(arg).catch(() => null);
    if (info?.isDirectory()) {
      const files = await walk(arg);
      if (files.length === 0) entries.push(noMatch(arg, 'no .txt, .html or .htm file in this folder'));
      for (const path of files) add({ path, relative: relative(arg, path) });
    } else if (info === null && arg !== '-' && GLOB_MAGIC.test(arg)) {
      const files = await glob(arg);
      if (files.length === 0) entries.push(noMatch(arg, 'no file matches this pattern'));
      // tinyglobby's paths are relative to the working folder; they are shown below the pattern's own base.
      const base = globBase(arg);
      for (const file of files) {
        const below = relative(base, file);
        add({ path: join(base, below), relative: below });
      }
    } else {
      add({ path: arg, relative: arg === '-' ? '-' : (arg.split(/[\\/]/).pop() ?? arg) });
    }
  }
  return entries;
}

async function walk(dir: string): Promise<string[]> {
  const found: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => compareText(a.name, b.name));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    // Linked folders are not followed: a link back up would never end.
    if (entry.isDirectory()) found.push(...(await walk(path)));
    else if ((entry.isFile() || entry.isSymbolicLink()) && INPUT_EXTENSIONS.some((ext) => entry.name.toLowerCase().endsWith(ext))) found.push(path);
  }
  return found;
}

async function glob(pattern: string): Promise<string[]> {
  // Loaded only when a glob is given: most runs name files.
  const { glob: tinyglob } = await import('tinyglobby');
  const files = await tinyglob(pattern, { onlyFiles: true, dot: false, expandDirectories: false });
  return files.sort(compareText);
}

/** The folders before the first segment with a wildcard: `pages/2021/*.txt` → `pages/2021`. */
function globBase(pattern: string): string {
  const segments = pattern.split('/');
  const fixed = segments.slice(
    0,
    segments.findIndex((s) => GLOB_MAGIC.test(s)),
  );
  return fixed.length === 0 ? '.' : fixed.join('/') || sep;
}

function noMatch(arg: string, detail: string): { problem: Diagnostic } {
  return { problem: diagnostic('INPUT_NO_MATCH', 'error', arg, detail) };
}

/**
 * The paths to read for a command that reads its inputs as one stream (none given: standard input);
 * an argument that gives no file is reported and counted as an error, and the others still run.
 */
export async function inputPaths(args: readonly string[], summary: Summary, report: (d: Diagnostic) => void): Promise<string[]> {
  const paths: string[] = [];
  for (const entry of await expandInputs(args.length > 0 ? args : ['-'])) {
    if ('path' in entry) {
      paths.push(entry.path);
    } else {
      summary.errors++;
      report(entry.problem);
    }
  }
  return paths;
}
