/** Starting a deployment: parameters, window, checklist runs and the thread's first messages. */
import type { Platform } from '../chat/chat-types.ts';
import { UserError } from '../errors.ts';
import { checkVersion, resolveEnvironment } from '../params/check-parameters.ts';
import { formatClock } from '../runbook/time-of-day.ts';
import { windowState } from '../schedule/window.ts';
import { formatZoned } from '../schedule/zoned-time.ts';
import { advance } from './advance.ts';
import { Change, refuse, type TransitionContext, type TransitionResult } from './change.ts';
import type { Deployment } from './deployment.ts';

export interface DeploymentRequest {
  readonly id: string;
  readonly origin?: Platform;
  readonly version: string;
  readonly environment?: string;
  readonly previousVersion?: string;
  readonly requestedBy: string;
  readonly runbookDigest: string;
}

function windowRefusal(ctx: TransitionContext): UserError | string[] {
  const { runbook, now } = ctx;
  const state = windowState(runbook, now);
  if (state.open || !runbook.window) return [];
  const gate = runbook.window.override_gate;
  if (runbook.window.outside === 'override' && gate !== undefined) return [gate];
  const hours = `${formatClock(runbook.window.start)}–${formatClock(runbook.window.end)}`;
  const next = state.next
    ? `it opens next at ${formatZoned(state.next.opens, runbook.timezone)} (${new Date(state.next.opens).toISOString().slice(0, 16).replace('T', ' ')} UTC)`
    : 'no later window is left in this runbook; change its window to deploy again';
  return new UserError(
    'WINDOW_CLOSED',
    `the ${runbook.service} deployment window (${hours} ${runbook.timezone}) is closed: ${next}`,
  );
}

/** Creates a deployment, or refuses it with a reason the requester can act on. The store must take the lock. */
export function createDeployment(ctx: TransitionContext, request: DeploymentRequest): TransitionResult {
  const { runbook, now } = ctx;
  const environment = resolveEnvironment(runbook, request.environment);
  if (environment instanceof UserError) return refuse(environment);
  const badVersion = checkVersion(runbook, request.version);
  if (badVersion) return refuse(badVersion);
  const extraGates = windowRefusal(ctx);
  if (extraGates instanceof UserError) return refuse(extraGates);
  const checklist = (runbook.checklist ?? []).map((item) => {
    const automated = item.run !== undefined || item.argv !== undefined;
    return { id: item.id, status: automated ? ('running' as const) : ('pending' as const) };
  });
  const deployment: Deployment = {
    id: request.id,
    origin: request.origin ?? 'console',
    revision: 0,
    service: runbook.service,
    environment,
    version: request.version,
    ...(request.previousVersion !== undefined && { previousVersion: request.previousVersion }),
    requestedBy: request.requestedBy,
    requestedAt: now,
    runbookDigest: request.runbookDigest,
    state: 'checklist',
    paused: false,
    extraGates,
    checklist,
    gates: Object.keys(runbook.gates ?? {}).map((id) => ({
      id,
      status: 'pending',
      approvals: [],
      reminders: 0,
    })),
    steps: runbook.steps.map((s) => ({ id: s.id, status: 'pending', attempt: 0 })),
  };
  const c = new Change(ctx, deployment);
  c.lock = 'acquire';
  c.record('deployment.requested', request.requestedBy, {
    service: runbook.service,
    environment,
    version: request.version,
    previousVersion: request.previousVersion ?? null,
    runbookDigest: request.runbookDigest,
    ...(extraGates.length > 0 && { outsideWindow: true, overrideGates: extraGates }),
  });
  c.post({ kind: 'status' });
  if (checklist.length > 0) c.post({ kind: 'checklist' });
  for (const item of checklist.filter((i) => i.status === 'pending'))
    c.post({ kind: 'checklist-item', item: item.id });
  for (const item of checklist.filter((i) => i.status === 'running'))
    c.emit({ type: 'run-checklist', item: item.id });
  advance(c);
  return c.result();
}
