/** Environment names as people type them: matched to the runbook's names whatever their case. */
import type { Runbook } from '../runbook/schema.ts';

/**
 * The runbook's name for the environment a person typed: the same name, or the one name that differs from it only
 * in case (`Staging` is `staging`). Undefined when the runbook has none such. The runbook rules refuse two names
 * that differ only in case, so the answer is never a guess between two.
 */
export function findEnvironment(runbook: Pick<Runbook, 'environments'>, typed: string): string | undefined {
  if (Object.hasOwn(runbook.environments, typed)) return typed;
  const wanted = typed.toLowerCase();
  const same = Object.keys(runbook.environments).filter((name) => name.toLowerCase() === wanted);
  return same.length === 1 ? same[0] : undefined;
}
