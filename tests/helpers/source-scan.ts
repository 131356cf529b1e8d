/**
 * What the source says, read by the TypeScript parser (not by a pattern over the text, which comments
 * and strings would fool): every regular expression in `src/`, and every spread into a call's
 * arguments. Run `npx vitest run tests/source-rules.test.ts` to see the list.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

export const ROOT = join(import.meta.dirname, '..', '..');

/** Where something is in `src/`: `src/parse/header.ts:31`, and the code as written. */
export interface Site {
  file: string;
  line: number;
  text: string;
}

/** A regular expression literal (`text` is `/.../flags`), or a `RegExp(...)` call (`text` is the call). */
export interface RegexSite extends Site {
  /** The expression itself, for a literal; null for a `RegExp(...)` call, whose pattern is built at run time. */
  regex: RegExp | null;
}

/** Every regular expression in `src/`, in file and line order. */
export function regexesInSource(): RegexSite[] {
  const found: RegexSite[] = [];
  for (const [file, source] of sourceFiles()) {
    visit(source, (node) => {
      if (ts.isRegularExpressionLiteral(node)) {
        const text = node.text;
        const slash = text.lastIndexOf('/');
        found.push({ ...site(file, source, node), regex: new RegExp(text.slice(1, slash), text.slice(slash + 1)) });
      } else if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && ts.isIdentifier(node.expression) && node.expression.text === 'RegExp') {
        found.push({ ...site(file, source, node), regex: null });
      }
    });
  }
  return found;
}

/** Every `f(...xs)` and `new F(...xs)` in `src/`: each spread element is an argument on the call stack. */
export function spreadArgumentsInSource(): Site[] {
  const found: Site[] = [];
  for (const [file, source] of sourceFiles()) {
    visit(source, (node) => {
      if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && node.arguments?.some(ts.isSpreadElement)) found.push(site(file, source, node));
    });
  }
  return found;
}

function* sourceFiles(): Generator<[string, ts.SourceFile]> {
  const dir = join(ROOT, 'src');
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()) {
    if (!entry.endsWith('.ts')) continue;
    const path = join(dir, entry);
    yield [relative(ROOT, path), ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true)];
  }
}

function visit(node: ts.Node, f: (node: ts.Node) => void): void {
  f(node);
  node.forEachChild((child) => visit(child, f));
}

function site(file: string, source: ts.SourceFile, node: ts.Node): Site {
  return { file, line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1, text: node.getText(source) };
}
