import { expandInputs, type InputFile } from '../input/expand.js';
import type { Summary } from '../pipeline.js';

/**
 * A command's inputs: its arguments expanded (files, folders, globs; none, or `-`, is standard
 * input), each finding (a folder without inputs, a file skipped) reported to the run's summary, and
 * the run goes on with the others.
 */
export async function inputFiles(args: readonly string[], exclude: readonly string[], summary: Summary): Promise<InputFile[]> {
  const files: InputFile[] = [];
  for (const entry of await expandInputs(args.length > 0 ? args : ['-'], { exclude })) {
    if ('file' in entry) files.push(entry.file);
    else summary.report(entry.finding);
  }
  return files;
}
