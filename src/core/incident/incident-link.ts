/** An incident declared for a service becomes the incident of the deployment whose trigger then fires for it. */
import { literal } from '../chat/outside-text.ts';
import { linkThread } from '../chat-text.ts';
import type { Runbook } from '../runbook/schema.ts';
import type { DeploymentLink, Incident } from './incident.ts';
import type { Followup } from './incident-followups.ts';

/**
 * Links an open incident that is about no deployment to `link`'s deployment, once: its message then shows the
 * deployment and the rollback prompt, and its thread gets the health and the ways to roll back, as an incident the
 * trigger had opened would. An incident already about a deployment, or resolved, is left as it is.
 */
export function linkDeployment(
  runbook: Runbook,
  incident: Incident,
  link: DeploymentLink | undefined,
): Followup | undefined {
  if (!link || incident.deploymentId !== undefined || incident.state === 'resolved') return undefined;
  const { deploymentId } = link;
  const health = link.health !== undefined ? `\nHealth: ${literal(link.health)}` : '';
  const back = runbook.rollback
    ? `\nRoll back: \`/rollback ${deploymentId}\`, react 🔄 on the ${incident.id} message, or press Roll back.`
    : '';
  return {
    incident: {
      ...incident,
      deploymentId,
      ...(incident.health === undefined && link.health !== undefined && { health: link.health }),
    },
    audit: [{ type: 'incident.linked', actor: 'preflight', detail: { deployment: deploymentId } }],
    effects: [
      {
        type: 'incident-post',
        topic: {
          kind: 'note',
          key: `linked:${deploymentId}`,
          text: `🔗 ${incident.id} is now about ${deploymentId} (its thread in ${linkThread(runbook.channels.deploy, deploymentId, 'status')}).${health}${back}`,
        },
      },
    ],
  };
}
