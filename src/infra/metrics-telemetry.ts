/** Turns Preflight's events (Telemetry) into Prometheus counters and histograms. */
import type { Counter, Histogram } from 'prom-client';
import { type Deployment, type Incident, isFinal, type StepRun, type Telemetry } from '../core/index.ts';

export interface TelemetryFamilies {
  readonly deploymentsFinished: Counter<'service' | 'outcome'>;
  readonly stepDuration: Histogram<'service' | 'phase' | 'outcome'>;
  readonly gateWait: Histogram<'service' | 'outcome'>;
  readonly incidentsOpened: Counter<'service'>;
  readonly pages: Counter<'level'>;
  readonly escalations: Counter<'level'>;
  readonly outboxLag: Histogram;
  readonly chatSends: Counter<'platform' | 'outcome'>;
  readonly chatLag: Histogram<'platform'>;
  readonly commands: Counter<'command' | 'outcome'>;
  readonly pagerduty: Counter<'action' | 'outcome'>;
}

/** Steps that finished in this commit: running before, not running now, with a duration. */
function finishedSteps(before: readonly StepRun[] | undefined, after: readonly StepRun[]): StepRun[] {
  return after.filter((step) => {
    const was = before?.find((s) => s.id === step.id);
    return was?.status === 'running' && step.status !== 'running' && step.durationMs !== undefined;
  });
}

function observeDeployment(f: TelemetryFamilies, before: Deployment | undefined, after: Deployment): void {
  const { service } = after;
  if (isFinal(after) && (before === undefined || !isFinal(before)))
    f.deploymentsFinished.inc({ service, outcome: after.state });
  const phases = [
    ['deploy', before?.steps, after.steps],
    ['rollback', before?.rollback?.steps, after.rollback?.steps ?? []],
  ] as const;
  for (const [phase, was, now] of phases)
    for (const step of finishedSteps(was, now))
      f.stepDuration.observe({ service, phase, outcome: step.status }, (step.durationMs ?? 0) / 1000);
  for (const gate of after.gates) {
    const was = before?.gates.find((g) => g.id === gate.id);
    if (was?.status !== 'pending' || gate.status === 'pending') continue;
    if (gate.requestedAt === undefined || gate.closedAt === undefined) continue;
    f.gateWait.observe(
      { service, outcome: gate.status },
      Math.max(0, gate.closedAt - gate.requestedAt) / 1000,
    );
  }
}

function observeIncident(f: TelemetryFamilies, before: Incident | undefined, after: Incident): void {
  if (before === undefined) f.incidentsOpened.inc({ service: after.service });
  for (const page of after.pages.slice(before?.pages.length ?? 0)) {
    f.pages.inc({ level: page.levelId });
    if (page.level > 0 || page.repeat > 0) f.escalations.inc({ level: page.levelId });
  }
}

/** The Telemetry port over these families. */
export function createTelemetry(f: TelemetryFamilies): Telemetry {
  return {
    deploymentChanged: (before, after) => observeDeployment(f, before, after),
    incidentChanged: (before, after) => observeIncident(f, before, after),
    outboxDelivered: (lagMs) => f.outboxLag.observe(Math.max(0, lagMs) / 1000),
    chatSent(platform, outcome, lagMs) {
      f.chatSends.inc({ platform, outcome: outcome.replace('-', '_') });
      if (outcome === 'sent') f.chatLag.observe({ platform }, Math.max(0, lagMs) / 1000);
    },
    commandHandled: (command, outcome) => f.commands.inc({ command, outcome }),
    pagerTried: (action, outcome) => f.pagerduty.inc({ action, outcome }),
  };
}
