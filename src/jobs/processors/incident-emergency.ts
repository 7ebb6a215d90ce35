/**
 * The emergency stop or logs asked for from an incident: runs the runbook's command whatever the deployment's
 * state (it has often finished when an incident needs it) and posts the output in the incident thread.
 */
import {
  applyIncidentEvent,
  type Deployment,
  EMERGENCY_TIMEOUT_MS,
  type Incident,
} from '../../core/index.ts';
import type { ProcessorDeps } from './processor-deps.ts';
import { runEmergency } from './run-emergency.ts';
import { toStepCommand } from './run-step-command.ts';

/** The deployment whose values the command runs with: the incident's, else the latest of its service there. */
async function deploymentOf(deps: ProcessorDeps, incident: Incident): Promise<Deployment | undefined> {
  if (incident.deploymentId !== undefined) return deps.engine.store.get(incident.deploymentId);
  const recent = await deps.engine.store.list({ service: incident.service, limit: 20 });
  return recent.find((d) => d.environment === incident.environment);
}

/**
 * Runs the emergency command and records its output on the incident; a stop runs alone on its service and
 * environment (run-emergency.ts). `jobId` names this run.
 */
export async function runIncidentEmergency(
  deps: ProcessorDeps,
  data: { incidentId: string; which: 'stop' | 'logs'; by: string },
  jobId: string,
): Promise<void> {
  const incident = await deps.engine.incidents.get(data.incidentId);
  if (!incident) return;
  const runbook = await deps.engine.runbooks.pinned(incident.runbookDigest);
  const spec = runbook.emergency?.[data.which];
  const deployment = await deploymentOf(deps, incident);
  const record = (outcome: string, output: string) =>
    applyIncidentEvent(deps.engine, incident.id, {
      type: 'incident.emergency',
      which: data.which,
      by: data.by,
      outcome,
      output,
    });
  if (!spec) return void (await record('not run', 'the runbook has no such command'));
  if (!deployment)
    return void (await record(
      'not run',
      `no deployment of ${incident.service} ${incident.environment} to run it for`,
    ));
  const signal = AbortSignal.timeout(EMERGENCY_TIMEOUT_MS);
  const request = { runbook, deployment, phase: 'deploy' as const, attempt: 1, signal };
  const run = () =>
    deps.runner.run(toStepCommand(deps, { ...request, step: `emergency-${data.which}` }, spec), { signal });
  const who = `asked by ${runbook.people[data.by]?.name ?? data.by} from ${incident.id}; its output goes to that thread`;
  const outcome = await runEmergency(deps, data.which, incident, { id: jobId, who }, run);
  if ('busy' in outcome) await record('not run', outcome.busy);
  else await record(outcome.how, outcome.output);
}
