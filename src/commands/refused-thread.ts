/**
 * What the answer to a start or an open says when the channel refused the thread's first message (Preflight is not
 * in it, or it was archived or deleted): nothing there to follow, so it says what happens meanwhile and what to do.
 */
import { type Deployment, type Incident, linkChannel, type Runbook } from '../core/index.ts';

const REFUSED =
  "Preflight's posts there are refused (it is not in that channel, or the channel was archived or deleted)";
const RETRIES =
  'it tries again at least once a minute, then posts the thread with everything waiting in it, in order';

/** Whether a deployment of the runbook waits for people before its steps: a gate, or a checklist item someone ticks. */
function needsPeople(runbook: Runbook): boolean {
  return (
    Object.keys(runbook.gates ?? {}).length > 0 ||
    (runbook.checklist ?? []).some((item) => item.owner !== undefined)
  );
}

/** The answer to /deploy start when the deploy channel refused the deployment's thread. */
export function deploymentThreadRefused(started: string, d: Deployment, runbook: Runbook): string {
  const channel = linkChannel(runbook.channels.deploy);
  const meanwhile = needsPeople(runbook)
    ? `${d.id} has started and waits for its people: its messages are kept, and nobody can see it, tick its checklist or approve its gates there until Preflight may post there.`
    : `${d.id} has started and its steps run at their times (its runbook asks nobody first): its messages are kept and nobody sees them there until Preflight may post there.`;
  return `${started} ⚠️ Its thread could not be posted in ${channel}: ${REFUSED}. ${meanwhile} Invite Preflight to ${channel} (${RETRIES}); if that channel is gone, stop this deployment with \`/deploy abort ${d.id}\`, point \`channels.deploy\` in ${d.service}'s runbook at a channel Preflight is in, and start it again. Meanwhile follow it with \`/deploy status ${d.id}\`.`;
}

/** The answer to /incident open when the incident channel refused the incident's post. */
export function incidentPostRefused(opened: string, incident: Incident, runbook: Runbook): string {
  const channel = linkChannel(runbook.channels.incident);
  return `${opened} ⚠️ Its post could not be made in ${channel}: ${REFUSED}. ${incident.id} is open all the same, and its pages go to each paged person directly. Invite Preflight to ${channel} (${RETRIES}), or point \`channels.incident\` in ${incident.service}'s runbook at a channel Preflight is in. Meanwhile acknowledge it with \`/ack ${incident.id}\` and follow it with \`/incident status ${incident.id}\`.`;
}
