/**
 * A line a process wrote for a terminal, as the terminal would show it: colours, cursor moves, titles and bells
 * removed, and a line redrawn with `\r` (a progress counter) shown as it was last drawn. Chat, the audit log and
 * the terminal chat then never receive escape sequences (an OSC one can retitle or write to a terminal's clipboard).
 */

// CSI (colours, cursor), OSC (titles, links, clipboard; ended by BEL or ST), other two-character escapes.
// biome-ignore lint/suspicious/noControlCharactersInRegex: escape sequences are what this removes
const ESCAPES = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]?/g;
// Every other control character (C0, DEL, C1) but the tab.
const CONTROLS = /(?!\t)\p{Cc}/gu;

export function plainTerminalLine(raw: string): string {
  const line = raw.includes('\x1b') ? raw.replace(ESCAPES, '') : raw;
  const drawn = line.replace(/\r+$/, '');
  const last = drawn.lastIndexOf('\r');
  return (last < 0 ? drawn : drawn.slice(last + 1)).replace(CONTROLS, '');
}
