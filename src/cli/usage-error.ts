/** How the command line words an argument it cannot take (an unknown option or command, a missing value). */

/**
 * commander's `error: unknown option '--bogus'` as one line in Preflight's form: `preflight: unknown option '--bogus'
 * (run "preflight --help" for usage)`.
 */
export function usageErrorLine(message: string): string {
  const said = message
    .replace(/^error:\s*/, '')
    .replace(/\s*\n\s*/g, ' ')
    .trim();
  return `preflight: ${said} (run "preflight --help" for usage)\n`;
}
