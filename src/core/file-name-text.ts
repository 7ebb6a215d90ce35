/** A file or folder name as a line of output shows it. */

// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what is escaped.
const FILE_CONTROLS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * A file name with every control character written as `\u000a`, line breaks and tabs too, and the bidirectional
 * overrides and isolates: a line about a file, or one that names a file in passing, stays one line and reads as it is.
 */
export function escapeFileName(file: string): string {
  return file.replace(FILE_CONTROLS, escapeCodeUnit);
}

/** One character written as its `\u` escape (`\u000a`), for a terminal line that must show it, not act on it. */
export function escapeCodeUnit(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}
