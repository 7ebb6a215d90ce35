/** Starting a deployment: parameters, window, checklist runs and the thread's first messages. */

import { permissionRefs } from '../access/permissions.ts';
import type { Platform } from '../chat/chat-types.ts';
import { UserError } from '../errors.ts';
import { checkVersion, resolveEnvironment } from '../params/check-parameters.ts';
import { resolvePeople } from '../runbook/people.ts';
import type { Runbook } from '../runbook/schema.ts';
import { formatClock } from '../runbook/time-of-day.ts';
import { windowState } from '../schedule/window.ts';
import { formatZoned } from '../schedule/zoned-time.ts';
import { advance } from './advance.ts';
import { Change, refuse, type TransitionContext, type TransitionResult } from './change.ts';
import type { Deployment } from './deployment.ts';
import { windowOverrideGate } from './runbook-lookup.ts';

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
  const gate = windowOverrideGate(runbook);
  if (gate) return [gate.id];
  const hours = `${formatClock(runbook.window.start)}–${formatClock(runbook.window.end)}`;
  const next = state.next
    ? `it opens next at ${formatZoned(state.next.opens, runbook.timezone)} (${new Date(state.next.opens).toISOString().slice(0, 16).replace('T', ' ')} UTC)`
    : 'no later window is left in this runbook; change its window to deploy again';
  return new UserError(
    'WINDOW_CLOSED',
    `the ${runbook.service} deployment window (${hours} ${runbook.timezone}) is closed: ${next}`,
  );
}

/** The first gate that could never pass were `requester` to start: it needs every one of its approvers, them among. */
function gateBlockedBy(runbook: Runbook, requester: string): string | undefined {
  return Object.entries(runbook.gates ?? {}).find(([, gate]) => {
    if (gate.allow_self === true) return false;
    const approvers = resolvePeople(runbook, gate.approvers);
    return approvers.includes(requester) && approvers.length - 1 < (gate.required ?? 1);
  })?.[0];
}

/**
 * Four eyes at the start: a gate that needs every one of its approvers, the requester among them, could never pass
 * (the requester's approval does not count), so the deployment would hold its service's lock until the gate expired
 * or someone aborted it. It is refused, naming who may start it instead, or what to change when nobody can.
 */
function selfBlockedStart(runbook: Runbook, requester: string): UserError | undefined {
  const id = gateBlockedBy(runbook, requester);
  if (id === undefined) return undefined;
  const gate = runbook.gates?.[id];
  const required = gate?.required ?? 1;
  const others = resolvePeople(runbook, permissionRefs(runbook, 'deploy')).filter(
    (p) => p !== requester && gateBlockedBy(runbook, p) === undefined,
  );
  const instead =
    others.length > 0
      ? `ask ${others.map((p) => runbook.people[p]?.name ?? p).join(' or ')} to start it`
      : `nobody who may deploy ${runbook.service} can start it; lower gates.${id}.required, add approvers, or set gates.${id}.allow_self`;
  return new UserError(
    'SELF_APPROVAL',
    `you cannot start this ${runbook.service} deployment: the ${gate?.title ?? id} gate needs ${required} ${required === 1 ? 'approval' : 'approvals'} from its approvers (gates.${id}), and as the requester yours would not count, so it could never pass; ${instead}`,
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
  const blocked = selfBlockedStart(runbook, request.requestedBy);
  if (blocked) return refuse(blocked);
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
