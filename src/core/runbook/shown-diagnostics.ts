/**
 * How many problems of one runbook are kept: the first ones by position, then only a count. A broken file with a
 * hundred thousand steps gives a screenful of errors and one line saying how many more, not a hundred thousand
 * lines (nor the memory to hold them).
 */
import { countOf } from '../count-words.ts';
import { type Diagnostic, formatDiagnostic, type PathProblem, type Position } from './diagnostic.ts';

/** Errors (and, separately, warnings) kept per runbook file. */
export const SHOWN_DIAGNOSTICS = 50;

/** The problems kept, in file order, and how many of each severity were counted past the cap. */
export interface ShownDiagnostics {
  readonly errors: readonly Diagnostic[];
  readonly warnings: readonly Diagnostic[];
  /** Errors past the first SHOWN_DIAGNOSTICS: counted, not kept. */
  readonly moreErrors?: number;
  /** Warnings past the first SHOWN_DIAGNOSTICS: counted, not kept. */
  readonly moreWarnings?: number;
}

/** Pins problems to positions and keeps the first SHOWN_DIAGNOSTICS errors and warnings in file order. */
export function keepFirstDiagnostics<P extends PathProblem>(
  file: string,
  problems: readonly P[],
  positionOf: (problem: P) => Position,
): ShownDiagnostics {
  const placed = problems.map((problem) => ({ problem, pos: positionOf(problem) }));
  placed.sort((a, b) => a.pos.line - b.pos.line || a.pos.col - b.pos.col);
  const errors: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  let moreErrors = 0;
  let moreWarnings = 0;
  for (const { problem, pos } of placed) {
    const severity = problem.severity ?? 'error';
    const kept = severity === 'error' ? errors : warnings;
    if (kept.length < SHOWN_DIAGNOSTICS)
      kept.push({ file, line: pos.line, col: pos.col, severity, message: problem.message });
    else if (severity === 'error') moreErrors++;
    else moreWarnings++;
  }
  return {
    errors,
    warnings,
    ...(moreErrors > 0 && { moreErrors }),
    ...(moreWarnings > 0 && { moreWarnings }),
  };
}

/** The lines to print for a runbook's problems: each kept one, then a count of those not kept. */
export function formatShownDiagnostics(file: string, shown: ShownDiagnostics): string[] {
  const lines = [...shown.errors, ...shown.warnings].map(formatDiagnostic);
  if (shown.moreErrors)
    lines.push(
      `${file}: … and ${countOf(shown.moreErrors, 'more error')} not shown; fix the ones above first, then validate again`,
    );
  if (shown.moreWarnings)
    lines.push(`${file}: … and ${countOf(shown.moreWarnings, 'more warning')} not shown`);
  return lines;
}
