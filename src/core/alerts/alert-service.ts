/**
 * Whether an Alertmanager alert is about a runbook's service: one rule for the webhook and for the poll, so an alert
 * counts for the same runbook whichever path sees it.
 */
import { namesService } from '../params/service-name.ts';
import type { Runbook } from '../runbook/schema.ts';

type Labels = Readonly<Record<string, string>>;

/** The service an alert's own labels name (`service`, else `job`), whether a runbook has it or not. */
export function namedService(labels: Labels): string | undefined {
  return labels.service ?? labels.job;
}

/**
 * An alert is about the runbook's service when its `service` or `job` label is that service, in any case (`Shop` is
 * `shop`, as in chat), or when the trigger's (or health check's) `match` names a service itself: then whoever wrote
 * it chose which service's alerts count.
 */
export function alertForService(
  runbook: Pick<Runbook, 'service'>,
  labels: Labels,
  match: Labels = {},
): boolean {
  return (
    match.service !== undefined ||
    namesService(runbook.service, labels.service) ||
    namesService(runbook.service, labels.job)
  );
}
