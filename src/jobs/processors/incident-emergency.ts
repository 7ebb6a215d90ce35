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

/**
 * The deployment whose values the command runs with: the incident's, else the one live in its service and
 * environment, else the latest there; where none of Preflight's reached them (deployed by hand, or only other
 * environments went through it), one standing in for the service and environment, so the stop still runs.
 */
async function deploymentOf(deps: ProcessorDeps, incident: Incident, by: string): Promise<Deployment> {
  const { store } = deps.engine;
  const own = incident.deploymentId === undefined ? undefined : await store.get(incident.deploymentId);
  if (own) return own;
  const live = await store.liveVersion(incident.service, incident.environment);
  const deployed = live === undefined ? undefined : await store.get(live.deployment);
  if (deployed) return deployed;
  const recent = await store.list({ service: incident.service, limit: 20 });
  return recent.find((d) => d.environment === incident.environment) ?? standIn(incident, by, live?.version);
}

/** No deployment: the incident's service and environment, the version live there if known, asked for by `by`. */
const standIn = (incident: Incident, by: string, version = ''): Deployment => ({
  id: '',
  origin: incident.origin,
  revision: 0,
  service: incident.service,
  environment: incident.environment,
  version,
  requestedBy: by,
  requestedAt: incident.openedAt,
  runbookDigest: incident.runbookDigest,
  state: 'succeeded',
  paused: false,
  extraGates: [],
  checklist: [],
  gates: [],
  steps: [],
});

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
  const deployment = await deploymentOf(deps, incident, data.by);
  const record = (outcome: string, output: string) =>
    applyIncidentEvent(deps.engine, incident.id, {
      type: 'incident.emergency',
      which: data.which,
      by: data.by,
      outcome,
      output,
    });
  if (!spec) return void (await record('not run', 'the runbook has no such command'));
  const signal = AbortSignal.timeout(EMERGENCY_TIMEOUT_MS);
  const request = { runbook, deployment, phase: 'deploy' as const, attempt: 1, signal };
  const run = () =>
    deps.runner.run(toStepCommand(deps, { ...request, step: `emergency-${data.which}` }, spec), { signal });
  const who = `asked by ${runbook.people[data.by]?.name ?? data.by} from ${incident.id}; its output goes to that thread`;
  const outcome = await runEmergency(deps, data.which, incident, { id: jobId, who }, run);
  if ('busy' in outcome) await record('not run', outcome.busy);
  else await record(outcome.how, outcome.output);
}
