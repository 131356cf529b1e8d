import { Buffer, isUtf8 } from 'node:buffer';
import { type Dirent, stat as statThen } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import type { Ignore } from 'ignore';
import { diagnostic } from '../diagnostics.js';
import { compareText } from '../select.js';
import type { Diagnostic, DiagnosticArgs } from '../types.js';

/** One input to read, and where its output goes relative to `--out-dir`. */
export interface InputFile {
  /**
   * What to open: the path as the user named it, or as found (joined with the folder's or the
   * glob's); bytes when a name found in a folder is not UTF-8, so that it still opens. `-` is stdin.
   */
  path: string | Uint8Array;
  /** Its name in records and messages. */
  source: string;
  /** The path below the folder or glob base it was found in (a named file: its own name). */
  relative: string;
  /** Found in a folder or by a glob rather than named: what is not a page is skipped, and a page without a post is a note. */
  found: boolean;
}

/** What an argument gave: an input, or a finding about it (a folder without inputs, a file skipped). */
export type InputEntry = { file: InputFile } | { finding: Diagnostic };

export interface ExpandOptions {
  /** Gitignore-style patterns (`--exclude`), matched against the path below each folder or glob base. */
  exclude: readonly string[];
}

const GLOB_MAGIC = /[*?[\]{}]/;
// fs's own stat, not fs/promises', which is loaded when a folder is read (1.4 ms of a start, see src/cli/start.ts).
const stat = promisify(statThen);
const SLASH = Buffer.from(sep);

/**
 * Arguments → inputs, in argument order: a file as is; a folder's files recursively (sorted by
 * name; hidden ones, links to folders, a browser's `NAME_files/` beside `NAME.html` and what
 * `--exclude` names are skipped, each reported as a note); a quoted glob (`'pages/**\/*.html'`, for
 * shells that do not expand globs) through tinyglobby. A path that does not exist stays, so that
 * reading it reports it. A file found in a folder or by a glob that was reached before is read once;
 * a file named twice is read twice (as `cat a a`). Files are read by content: what a folder holds
 * that is not a page is skipped when it is read.
 */
export async function expandInputs(args: readonly string[], options: ExpandOptions): Promise<InputEntry[]> {
  const entries: InputEntry[] = [];
  const seen = new Set<string>();
  const add = (file: InputFile): void => {
    const key = typeof file.path === 'string' ? resolve(file.path) : resolve(Buffer.from(file.path).toString('latin1'));
    if (file.found && seen.has(key)) return;
    seen.add(key);
    entries.push({ file });
  };
  const exclude = options.exclude.length === 0 ? null : await matcher(options.exclude);
  for (const arg of args) {
    const info = arg === '-' ? null : await stat(arg).catch(() => null);
    if (info?.isDirectory()) {
      let files = 0;
      for (const entry of await walk(arg, exclude)) {
        if ('finding' in entry) entries.push(entry);
        else {
          files++;
          add(entry.file);
        }
      }
      if (files === 0) entries.push(noMatch(arg, 'folder'));
    } else if (info === null && arg !== '-' && GLOB_MAGIC.test(arg)) {
      // tinyglobby's paths are relative to the working folder; they are shown below the pattern's own base.
      const base = globBase(arg);
      let files = 0;
      for (const path of await glob(arg)) {
        const below = relative(base, path).split(sep).join('/');
        const rule = exclude?.test(below);
        if (rule?.ignored === true) {
          entries.push({ finding: skipped('EXCLUDED', join(base, below), { pattern: rule.rule?.pattern ?? '' }) });
          continue;
        }
        files++;
        add({ path: join(base, below), source: join(base, below), relative: below, found: true });
      }
      if (files === 0) entries.push(noMatch(arg, 'pattern'));
    } else {
      add({ path: arg, source: arg, relative: arg === '-' ? '-' : (arg.split(/[\\/]/).pop() ?? arg), found: false });
    }
  }
  return entries;
}

/** A folder entry on the way: its path as bytes (names need not be UTF-8), and as text below the folder. */
interface Item {
  path: Buffer;
  below: string;
  dirent: Dirent<Buffer>;
  /** Set for everything inside a skipped folder: why. */
  skip: FolderSkip | null;
}

/** Why a folder's files are skipped: an `--exclude` pattern names it, or it holds a saved page's resources. */
type FolderSkip = { code: 'EXCLUDED'; args: DiagnosticArgs['EXCLUDED'] } | { code: 'PAGE_RESOURCE'; args: DiagnosticArgs['PAGE_RESOURCE'] };

/**
 * A folder's files and findings in name order, depth first. A stack, not recursion, and no spread
 * of a folder's entries into a call: a folder may hold hundreds of thousands of files.
 */
async function walk(root: string, exclude: Ignore | null): Promise<InputEntry[]> {
  const found: InputEntry[] = [];
  const stack: Item[] = [];
  const list = async (dir: Buffer, below: string, skip: Item['skip']): Promise<void> => {
    const dirents = await readdir(dir, { withFileTypes: true, encoding: 'buffer' });
    const names = dirents.map((d) => ({ dirent: d, text: d.name.toString('utf8') }));
    names.sort((a, b) => compareText(a.text, b.text) || Buffer.compare(a.dirent.name, b.dirent.name));
    const siblings = new Set(names.map((n) => n.text.toLowerCase()));
    for (let i = names.length - 1; i >= 0; i--) {
      const { dirent, text } = names[i] as (typeof names)[number];
      const path = Buffer.concat([dir, SLASH, dirent.name]);
      const itemBelow = below === '' ? text : `${below}/${text}`;
      stack.push({ path, below: itemBelow, dirent, skip: skip ?? resources(dirent, text, siblings, itemBelow) });
    }
  };
  await list(Buffer.from(root), '', null);
  while (stack.length > 0) {
    const item = stack.pop() as Item;
    const { dirent, below } = item;
    const source = join(root, below);
    if (item.skip === null && dirent.name[0] === 0x2e) {
      // Hidden files and folders (`.git`, `.DS_Store`) are never read, and hidden folders not even walked.
      found.push({ finding: skipped('HIDDEN', dirent.isDirectory() ? `${source}${sep}` : source, {}) });
      continue;
    }
    let directory = dirent.isDirectory();
    if (dirent.isSymbolicLink()) {
      // Linked folders are not followed: a link back up would never end.
      const target = await stat(item.path).catch(() => null);
      if (target === null || target.isDirectory()) {
        found.push({ finding: skipped('LINK_NOT_FOLLOWED', source, { to: target === null ? 'nothing' : 'folder' }) });
        continue;
      }
      directory = false;
    }
    const rule = item.skip === null ? exclude?.test(directory ? `${below}/` : below) : undefined;
    const skip = rule?.ignored === true ? { code: 'EXCLUDED' as const, args: { pattern: rule.rule?.pattern ?? '' } } : item.skip;
    if (directory) {
      await list(item.path, below, skip);
    } else if (skip !== null) {
      found.push({ finding: skip.code === 'EXCLUDED' ? skipped('EXCLUDED', source, skip.args) : skipped('PAGE_RESOURCE', source, skip.args) });
    } else if (!dirent.isFile() && !dirent.isSymbolicLink()) {
      found.push({ finding: skipped('NOT_A_PAGE', source, { kind: 'special-file' }) });
    } else {
      const path = isUtf8(item.path) ? item.path.toString('utf8') : item.path;
      found.push({ file: { path, source, relative: below, found: true } });
    }
  }
  return found;
}

/** `NAME_files/` beside `NAME.html` or `NAME.htm`: the scripts, styles, images and frames a browser saves with a page. */
function resources(dirent: Dirent<Buffer>, name: string, siblings: ReadonlySet<string>, below: string): Item['skip'] {
  if (!dirent.isDirectory() || !name.endsWith('_files')) return null;
  const page = name.slice(0, -'_files'.length).toLowerCase();
  const html = [`${page}.html`, `${page}.htm`].find((n) => siblings.has(n));
  if (html === undefined) return null;
  const folder = below.slice(0, below.length - name.length);
  return { code: 'PAGE_RESOURCE', args: { page: `${folder}${html}` } };
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

async function matcher(patterns: readonly string[]): Promise<Ignore> {
  // Loaded only for --exclude.
  const { default: ignore } = await import('ignore');
  return ignore().add([...patterns]);
}

function skipped<C extends 'EXCLUDED' | 'PAGE_RESOURCE' | 'LINK_NOT_FOLLOWED' | 'NOT_A_PAGE' | 'HIDDEN'>(
  code: C,
  source: string,
  args: DiagnosticArgs[C],
): Diagnostic {
  return diagnostic(code, 'info', source, args);
}

function noMatch(arg: string, of: 'folder' | 'pattern'): { finding: Diagnostic } {
  return { finding: diagnostic('INPUT_NO_MATCH', 'error', arg, { of }) };
}
