import { PostdumpError } from '../../src/index.js';

/** The `PostdumpError` that `work` throws; anything else it throws is rethrown, and not throwing is a failure. */
export function postdumpErrorOf(work: () => unknown): PostdumpError {
  try {
    work();
  } catch (e) {
    if (e instanceof PostdumpError) return e;
    throw e;
  }
  throw new Error('expected a PostdumpError');
}
