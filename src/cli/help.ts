/**
 * The end of a command's --help: its exit statuses, 1 with what makes this command exit 1 (`problems`;
 * none for a command that reads no input), `success` what 0 means, `failure` what 1 means.
 */
export function exitStatuses(problems: readonly string[], { success = 'success', failure = 'a data problem' } = {}): string {
  const lines = [`  0  ${success}`];
  if (problems.length > 0) {
    // In lines of at most 100 characters, indented under the first.
    let line = '  1 ';
    for (const word of `${failure}: ${problems.join(', ')}`.split(' ')) {
      if (line.length + 1 + word.length > 100) {
        lines.push(line);
        line = '    ';
      }
      line += ` ${word}`;
    }
    lines.push(line);
  }
  lines.push('  2  a usage error: unknown flag, bad value');
  return `\nExit status:\n${lines.join('\n')}`;
}
