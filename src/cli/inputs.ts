import { expandInputs, type InputFile } from '../input/expand.js';
import { countFinding, type Summary } from '../pipeline.js';
import type { Diagnostic } from '../types.js';

/**
 * A command's inputs: its arguments expanded (files, folders, globs; none, or `-`, is standard
 * input), each finding (a folder without inputs, a file skipped) reported and counted, and the run
 * goes on with the others.
 */
export async function inputFiles(args: readonly string[], exclude: readonly string[], summary: Summary, report: (d: Diagnostic) => void): Promise<InputFile[]> {
  const files: InputFile[] = [];
  for (const entry of await expandInputs(args.length > 0 ? args : ['-'], { exclude })) {
    if ('file' in entry) {
      files.push(entry.file);
    } else {
      countFinding(summary, entry.finding);
      report(entry.finding);
    }
  }
  return files;
}
