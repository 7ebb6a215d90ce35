/** Where a runbook names its service, and what to say when another runbook already named the same one. */
import { escapeFileName } from '../file-name-text.ts';
import type { Position } from './diagnostic.ts';

/** The line of the top-level `service:` key (column 1), or 1:1 when it is not found as plain text. */
export function findServiceLine(source: string): Position {
  const index = source.split(/\r?\n/).findIndex((l) => /^\uFEFF?service\s*:/.test(l));
  return index < 0 ? { line: 1, col: 1 } : { line: index + 1, col: 1 };
}

/** The FILE:LINE:COL line for a runbook whose service another file already runs. */
export function formatSameService(file: string, source: string, service: string, other: string): string {
  const at = findServiceLine(source);
  return `${file}:${at.line}:${at.col}: service "${service}" is also the service of ${escapeFileName(other)}; Preflight runs one runbook per service, so keep one of them (or give this one its own service)`;
}
