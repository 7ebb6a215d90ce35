/**
 * The answer to a person's request handled a second time (its first handling committed it, then died or could not
 * answer): what the first handling did, as it would have said it, rather than what a second click would hear
 * ("already counted"), which would tell the person their click was a repeat of an earlier one.
 */
import type { Runbook } from '../runbook/schema.ts';
import type { Deployment } from './deployment.ts';
import type { DeploymentEvent } from './events.ts';
import { gateDefinition } from './runbook-lookup.ts';

/** What `event`, committed before, did to `deployment` (as it stands now), in the words of its first answer. */
export function repeatedReply(
  runbook: Runbook,
  deployment: Deployment,
  event: DeploymentEvent,
): string | undefined {
  switch (event.type) {
    case 'gate.approve': {
      const gate = deployment.gates.find((g) => g.id === event.gate);
      const def = gateDefinition(runbook, event.gate);
      const title = def?.title ?? event.gate;
      // Approvals are kept in the order they came: this one's place is the count it made.
      const place = gate?.approvals.findIndex((a) => a.by === event.by) ?? -1;
      if (place < 0) return `your approval of the ${title} gate was counted, and has been withdrawn since`;
      const required = def?.required ?? 1;
      return place + 1 >= required
        ? `${title} gate approved (${place + 1} of ${required})`
        : `approval counted for the ${title} gate: ${place + 1} of ${required}`;
    }
    case 'abort':
      return event.emergency
        ? 'emergency stop: running steps killed, emergency stop command started'
        : 'deployment aborted';
    case 'pause':
      return 'paused: a running step finishes, no new step starts until /deploy resume';
    case 'resume':
      return 'resumed';
    default:
      return undefined;
  }
}
