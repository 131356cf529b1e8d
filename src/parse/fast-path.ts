/**
 * The parser's fast paths (issue 17) read the common line shapes on bytes and hand every other line
 * to the general code. This switch turns them off, for the tests that prove both paths give the
 * same records and diagnostics; it is on in use.
 */
export const fastPath = { enabled: true };
