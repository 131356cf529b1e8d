/**
 * Run before every test file (vitest's `setupFiles`): memory the parser takes back is overwritten
 * before reuse, so that a post kept past its batch without `own()` fails the test that keeps it.
 */
import { recycleCheck } from '../../src/borrowed.js';

recycleCheck.overwrite = true;
