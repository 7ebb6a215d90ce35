/**
 * Which environment an Alertmanager alert is about: one rule for the webhook and for the poll, so an alert counts
 * under the same environment (and so for the same deployment) whichever path sees it.
 */
import { findEnvironment } from '../params/environment-name.ts';
import { defaultEnvironment } from '../plan/build-plan.ts';
import type { Runbook } from '../runbook/schema.ts';

type Labels = Readonly<Record<string, string>>;

/** The labels an alert names its environment with, in the order they are read. */
export const ENVIRONMENT_LABELS = ['environment', 'env'] as const;

/** The environment an alert's own labels name (`environment`, else `env`), whether the runbook has it or not. */
export function namedEnvironment(labels: Labels): string | undefined {
  return labels.environment ?? labels.env;
}

/**
 * The environment an alert is about, by the runbook's name for it: the first of its `environment`/`env` labels (then
 * the trigger's `match` ones) that the runbook has, in any case (`Production` is `production`, as in chat). An alert
 * naming none is about the runbook's default environment (its only one, or else the first listed). Undefined when
 * it names only environments the runbook does not have: a qa alert is never guessed onto production.
 */
export function alertEnvironment(
  runbook: Pick<Runbook, 'environments'>,
  labels: Labels,
  match: Labels = {},
): string | undefined {
  const named = [
    ...ENVIRONMENT_LABELS.map((l) => labels[l]),
    ...ENVIRONMENT_LABELS.map((l) => match[l]),
  ].filter((n): n is string => n !== undefined);
  if (named.length > 0)
    return named.map((n) => findEnvironment(runbook, n)).find((n): n is string => n !== undefined);
  return defaultEnvironment(runbook) ?? Object.keys(runbook.environments)[0] ?? '';
}

/**
 * Which alerts a poll counts: those about `runbook`'s service (`alertForService`) that `alertEnvironment` puts in
 * `name`, as the webhook counts them for that runbook.
 */
export interface AlertEnvironmentScope {
  readonly name: string;
  readonly runbook: Pick<Runbook, 'environments' | 'service'>;
}
