import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseRunbook, type Runbook } from '../../src/core/index.ts';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Loads a runbook from the repository, failing the test with its diagnostics when it is invalid. */
export function loadRepoRunbook(relative: string): Runbook {
  const result = parseRunbook(readFileSync(new URL(relative, `file://${repoRoot}`)), relative);
  if (!result.runbook)
    throw new Error(result.errors.map((e) => `${e.line}:${e.col} ${e.message}`).join('\n'));
  return result.runbook;
}

/** Parses runbook text given inline. */
export function parseInline(text: string): ReturnType<typeof parseRunbook> {
  return parseRunbook(text, 'inline.yaml');
}
