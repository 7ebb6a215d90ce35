/** A problem found in a runbook, pinned to a file position. */
export type DiagnosticPath = readonly (string | number)[];

export interface Diagnostic {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

/** A problem found before positions are known: the path of the offending key or value. */
export interface PathProblem {
  readonly path: DiagnosticPath;
  readonly message: string;
  readonly severity?: 'error' | 'warning';
  /** Point at the key itself rather than its value. */
  readonly atKey?: boolean;
}

/** A line and column in the runbook file, both counted from 1. */
export interface Position {
  readonly line: number;
  readonly col: number;
}

/** A problem found while reading the file, already pinned to a position. */
export interface PlacedProblem extends PathProblem {
  readonly pos: Position;
  /**
   * The message in words that quote nothing of the file, where `message` quotes it (a key, a line): what a file
   * that is no runbook is told, since it may be one of secrets.
   */
  readonly plain?: string;
}

/** Formats a diagnostic as `FILE:LINE:COL: message` (warnings say so). */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.col}: ${d.severity === 'warning' ? 'warning: ' : ''}${d.message}`;
}

/** Renders a path the way people read it: `steps[1].timeout`. */
export function formatPath(path: DiagnosticPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out === '' ? 'the runbook' : out;
}
