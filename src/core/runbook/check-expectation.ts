/** Evaluates a command result against a runbook `expect` block. */
import { compare } from './comparison.ts';
import type { RunbookStep } from './schema.ts';

export type Expectation = NonNullable<RunbookStep['expect']>;

export interface CommandOutput {
  readonly exitCode: number | undefined;
  /** Standard output (or as much of it as was kept). */
  readonly stdout: string;
}

export interface ExpectationVerdict {
  readonly passed: boolean;
  /** Why, in words: `exit code 0, stdout "15"` or `expected stdout "15", got "14"`. */
  readonly detail: string;
}

const list = (value: string | readonly string[] | undefined): readonly string[] =>
  value === undefined ? [] : typeof value === 'string' ? [value] : value;

const quote = (text: string): string => JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);

/** Checks every condition of `expect` (exit code 0 when none is given); reports the first that fails. */
export function checkExpectation(expect: Expectation | undefined, output: CommandOutput): ExpectationVerdict {
  const wantExit = expect?.exit_code ?? 0;
  if (output.exitCode !== wantExit) {
    return { passed: false, detail: `expected exit code ${wantExit}, got ${output.exitCode ?? 'none'}` };
  }
  const out = output.stdout.replace(/\s+$/, '');
  if (expect?.stdout !== undefined && out.trim() !== expect.stdout.trim()) {
    return { passed: false, detail: `expected output ${quote(expect.stdout)}, got ${quote(out.trim())}` };
  }
  for (const text of list(expect?.contains)) {
    if (!out.includes(text)) return { passed: false, detail: `output does not contain ${quote(text)}` };
  }
  for (const text of list(expect?.not_contains)) {
    if (out.includes(text)) return { passed: false, detail: `output contains ${quote(text)}` };
  }
  if (expect?.matches !== undefined && !new RegExp(expect.matches, 'm').test(out)) {
    return { passed: false, detail: `output does not match /${expect.matches}/` };
  }
  if (expect?.lines !== undefined) {
    const count = out === '' ? 0 : out.split('\n').length;
    const ok = typeof expect.lines === 'number' ? count === expect.lines : compare(count, expect.lines);
    const want = typeof expect.lines === 'number' ? String(expect.lines) : expect.lines.text;
    if (!ok) return { passed: false, detail: `expected ${want} output lines, got ${count}` };
  }
  const shown =
    out.trim() === '' ? '' : `, output ${quote((out.trim().split('\n').slice(-1)[0] ?? '').trim())}`;
  return { passed: true, detail: `exit code ${wantExit}${shown}` };
}
