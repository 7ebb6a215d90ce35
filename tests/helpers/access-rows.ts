/**
 * The rows of the access table: every person-caused action, how each path expresses it, who is who for it and
 * what each kind of person must get. Each row builds a fresh subject in the state the action needs.
 */
import { applyIncidentEvent, type ErrorCode, openIncidentFor } from '../../src/core/index.ts';
import { type AccessPath, type ActionForms, messageIdOf } from './access-paths.ts';
import type { Harness } from './engine-harness.ts';

export type Kind = 'allowed' | 'notAllowed' | 'requester' | 'unknown';
/** `applied`: the state changed; `ignored`: nothing changed and nobody was answered (not a request). */
export type Expected = 'applied' | 'ignored' | ErrorCode;

export interface AccessRow {
  readonly action: string;
  /** A fresh deployment, incident or lock in the state the action needs; returns its id. */
  setup(h: Harness, path: AccessPath): Promise<string>;
  forms(id: string): ActionForms;
  /** The person of each kind (unknown is always `nobody`); no requester when the action has none. */
  readonly people: { readonly allowed: string; readonly notAllowed: string; readonly requester?: string };
  readonly expect: Readonly<Partial<Record<Kind, Expected>>> & { readonly notAllowed: Expected };
  /** What the action changes, read before and after. */
  snapshot(h: Harness, id: string): Promise<unknown>;
  /** Where a refusal is audited (default: the id). */
  subject?(id: string): string;
  cleanup?(h: Harness, id: string): Promise<void>;
}

async function ok<T extends { ok: boolean }>(outcome: Promise<T>): Promise<T> {
  const done = await outcome;
  if (!done.ok) throw new Error(`setup failed: ${JSON.stringify(done)}`);
  return done;
}

type Stage =
  | 'checklist'
  | 'gates'
  | 'approved'
  | 'paused'
  | 'rejected'
  | 'running'
  | 'rollback-asked'
  | 'decision';

/** Approves the gate and starts the step, as a worker would: from then on there is something to roll back. */
async function startStep(h: Harness, id: string): Promise<{ phase: 'deploy'; step: string; runId: string }> {
  await ok(h.apply(id, { type: 'gate.approve', gate: 'go', by: 'ben' }));
  const step = { phase: 'deploy' as const, step: 'one', runId: 'run-1' };
  await ok(h.apply(id, { type: 'step.start', ...step }));
  return step;
}

/** Starts a deployment (Ann asks) and brings it to `stage`. */
async function deployment(h: Harness, stage: Stage, path: AccessPath): Promise<string> {
  const started = await ok(h.start('v1.0.0', 'ann'));
  if (!started.ok) throw new Error('unreachable');
  const id = started.deployment.id;
  if (stage === 'checklist') return id;
  await ok(h.apply(id, { type: 'checklist.tick', item: 'notes', by: 'ben' }));
  // Approved by a ✅ on the gate's message (on the path's platform): the ✅ that can take it back.
  if (stage === 'approved')
    await ok(
      h.apply(id, {
        type: 'gate.approve',
        gate: 'go',
        by: 'ben',
        onMessage: messageIdOf(path.platform, id, 'gate:go'),
      }),
    );
  if (stage === 'paused') await ok(h.apply(id, { type: 'pause', by: 'ben' }));
  if (stage === 'rejected') await ok(h.apply(id, { type: 'gate.reject', gate: 'go', by: 'ben' }));
  if (stage === 'running') await startStep(h, id);
  if (stage === 'rollback-asked') {
    await startStep(h, id);
    await ok(h.apply(id, { type: 'rollback.request', by: 'ann', reason: 'test' }));
  }
  if (stage === 'decision') {
    const step = await startStep(h, id);
    await ok(
      h.apply(id, {
        type: 'step.finish',
        ...step,
        outcome: 'failed',
        durationMs: 1,
        outputTail: '',
        exitCode: 1,
      }),
    );
  }
  return id;
}

/** Ends a deployment so the next one can start (one active deployment per environment). */
async function end(h: Harness, id: string): Promise<void> {
  const d = await h.get(id);
  if (!['succeeded', 'failed', 'aborted', 'rolled_back', 'rollback_failed'].includes(d.state))
    await ok(h.apply(id, { type: 'abort', by: 'ann', emergency: false }));
}

const deploymentState = async (h: Harness, id: string) => {
  const d = await h.get(id);
  return { state: d.state, revision: d.revision };
};

/** A row about a deployment in `stage`. */
const onDeployment = (stage: Stage, row: Omit<AccessRow, 'setup' | 'snapshot' | 'cleanup'>): AccessRow => ({
  ...row,
  setup: (h, path) => deployment(h, stage, path),
  snapshot: deploymentState,
  cleanup: end,
});

async function incident(h: Harness): Promise<string> {
  const opened = await ok(
    openIncidentFor(h.preflight.engine, {
      title: 'test',
      trigger: 'manual',
      service: 'svc',
      openedBy: 'preflight',
    }),
  );
  if (!opened.ok) throw new Error('unreachable');
  return opened.incident.id;
}

const incidentState = async (h: Harness, id: string) => {
  const i = await h.preflight.engine.incidents.get(id);
  return { state: i?.state, revision: i?.revision };
};

/** One incident per cause: the service's open incident is resolved after each case, so the next opens anew. */
async function resolveOpen(h: Harness): Promise<void> {
  for (const open of await h.preflight.engine.incidents.list({ openOnly: true, limit: 50 }))
    await applyIncidentEvent(h.preflight.engine, open.id, { type: 'incident.resolve', by: 'ben' });
}

const onIncident = (row: Omit<AccessRow, 'setup' | 'snapshot' | 'cleanup'>): AccessRow => ({
  ...row,
  setup: incident,
  snapshot: incidentState,
  cleanup: resolveOpen,
});

const LOCK = 'lock:svc:production';
const lockState = async (h: Harness) =>
  (await h.preflight.engine.store.lockHolder('svc', 'production')) ?? null;

export const ACCESS_ROWS: readonly AccessRow[] = [
  {
    action: 'start',
    setup: async () => 'svc',
    forms: () => ({ command: '/deploy start svc v1.0.0' }),
    people: { allowed: 'ben', notAllowed: 'dan' },
    expect: { allowed: 'applied', notAllowed: 'NOT_PERMITTED', unknown: 'UNKNOWN_PERSON' },
    snapshot: async (h) => (await h.preflight.engine.store.list({ limit: 100 })).length,
    subject: () => 'service:svc',
    async cleanup(h) {
      const [latest] = await h.preflight.engine.store.list({ limit: 1 });
      if (latest) await end(h, latest.id);
    },
  },
  onDeployment('checklist', {
    action: 'checklist.tick',
    forms: (id) => ({
      reaction: { key: 'checklist-item:notes', emoji: 'white_check_mark' },
      button: { action: 'checklist.tick', value: `${id}:notes` },
    }),
    people: { allowed: 'ben', notAllowed: 'dan', requester: 'ann' },
    expect: {
      allowed: 'applied',
      notAllowed: 'NOT_THE_OWNER',
      requester: 'NOT_THE_OWNER',
      unknown: 'UNKNOWN_PERSON',
    },
  }),
  onDeployment('gates', {
    action: 'gate.approve',
    forms: (id) => ({
      reaction: { key: 'gate:go', emoji: 'white_check_mark' },
      button: { action: 'gate.approve', value: `${id}:go` },
    }),
    people: { allowed: 'ben', notAllowed: 'dan', requester: 'ann' },
    expect: {
      allowed: 'applied',
      notAllowed: 'NOT_AN_APPROVER',
      requester: 'SELF_APPROVAL',
      unknown: 'UNKNOWN_PERSON',
    },
  }),
  // Taking a ✅ off asks nothing: it withdraws the person's own approval while that counts, else it does nothing
  // and is answered nothing (no refusal, even to someone the runbook does not know).
  onDeployment('approved', {
    action: 'gate.withdraw',
    forms: () => ({ reaction: { key: 'gate:go', emoji: 'white_check_mark', added: false } }),
    people: { allowed: 'ben', notAllowed: 'dan', requester: 'ann' },
    expect: { allowed: 'applied', notAllowed: 'ignored', requester: 'ignored', unknown: 'ignored' },
  }),
  onDeployment('rejected', {
    action: 'gate.withdraw once the deployment failed',
    forms: () => ({ reaction: { key: 'gate:go', emoji: 'white_check_mark', added: false } }),
    people: { allowed: 'ben', notAllowed: 'dan', requester: 'ann' },
    expect: { allowed: 'ignored', notAllowed: 'ignored', requester: 'ignored', unknown: 'ignored' },
  }),
  onDeployment('gates', {
    action: 'gate.reject',
    forms: (id) => ({
      reaction: { key: 'gate:go', emoji: 'x' },
      button: { action: 'gate.reject', value: `${id}:go` },
    }),
    people: { allowed: 'ben', notAllowed: 'dan', requester: 'ann' },
    expect: {
      allowed: 'applied',
      notAllowed: 'NOT_AN_APPROVER',
      requester: 'applied',
      unknown: 'UNKNOWN_PERSON',
    },
  }),
  onDeployment('rejected', {
    action: 'gate.reason',
    forms: () => ({ threadReply: 'the change window is wrong' }),
    people: { allowed: 'ben', notAllowed: 'dan', requester: 'ann' },
    expect: { allowed: 'applied', notAllowed: 'ignored', requester: 'ignored', unknown: 'ignored' },
  }),
  ...(['pause', 'resume'] as const).map((type) =>
    onDeployment(type === 'pause' ? 'gates' : 'paused', {
      action: type,
      forms: (id) => ({ command: `/deploy ${type} ${id}` }),
      people: { allowed: 'ben', notAllowed: 'dan', requester: 'ann' },
      expect: {
        allowed: 'applied',
        notAllowed: 'NOT_PERMITTED',
        requester: 'applied',
        unknown: 'UNKNOWN_PERSON',
      },
    }),
  ),
  ...(['', ' --emergency'] as const).map((flag) =>
    onDeployment('gates', {
      action: `abort${flag}`,
      forms: (id) => ({ command: `/deploy abort ${id}${flag}` }),
      people: { allowed: 'ben', notAllowed: 'dan', requester: 'ann' },
      expect: {
        allowed: 'applied',
        notAllowed: 'NOT_PERMITTED',
        requester: 'applied',
        unknown: 'UNKNOWN_PERSON',
      },
    }),
  ),
  onDeployment('running', {
    action: 'rollback.request',
    forms: (id) => ({
      command: `/rollback ${id}`,
      reaction: { key: 'status', emoji: 'arrows_counterclockwise' },
      button: { action: 'rollback.request', value: id },
    }),
    people: { allowed: 'cat', notAllowed: 'dan', requester: 'ann' },
    expect: {
      allowed: 'applied',
      notAllowed: 'NOT_PERMITTED',
      requester: 'applied',
      unknown: 'UNKNOWN_PERSON',
    },
  }),
  onDeployment('rollback-asked', {
    action: 'rollback.approve',
    forms: (id) => ({
      reaction: { key: 'rollback', emoji: 'white_check_mark' },
      button: { action: 'rollback.approve', value: id },
    }),
    // Ann asked for the rollback: four eyes.
    people: { allowed: 'cat', notAllowed: 'ben', requester: 'ann' },
    expect: {
      allowed: 'applied',
      notAllowed: 'NOT_AN_APPROVER',
      requester: 'SELF_APPROVAL',
      unknown: 'UNKNOWN_PERSON',
    },
  }),
  // While a rollback waits for approval, asking for it again is approving it: the same four eyes on every path.
  onDeployment('rollback-asked', {
    action: 'rollback.request while it waits',
    forms: (id) => ({
      command: `/rollback ${id}`,
      reaction: { key: 'status', emoji: 'arrows_counterclockwise' },
      button: { action: 'rollback.request', value: id },
    }),
    people: { allowed: 'cat', notAllowed: 'ben', requester: 'ann' },
    expect: {
      allowed: 'applied',
      notAllowed: 'NOT_AN_APPROVER',
      requester: 'SELF_APPROVAL',
      unknown: 'UNKNOWN_PERSON',
    },
  }),
  onDeployment('decision', {
    action: 'decide',
    forms: (id) => ({
      command: `/deploy decide skip ${id}`,
      button: { action: 'decide', value: `${id}:skip` },
    }),
    people: { allowed: 'ben', notAllowed: 'dan', requester: 'ann' },
    expect: {
      allowed: 'applied',
      notAllowed: 'NOT_PERMITTED',
      requester: 'applied',
      unknown: 'UNKNOWN_PERSON',
    },
  }),
  onIncident({
    action: 'incident.ack',
    forms: (id) => ({
      command: `/ack ${id}`,
      reaction: { key: 'incident', emoji: 'eyes' },
      button: { action: 'incident.ack', value: id },
    }),
    people: { allowed: 'cat', notAllowed: 'dan' },
    expect: { allowed: 'applied', notAllowed: 'NOT_PERMITTED', unknown: 'UNKNOWN_PERSON' },
  }),
  onIncident({
    action: 'incident.resolve',
    forms: (id) => ({ command: `/incident resolve ${id} done` }),
    people: { allowed: 'ben', notAllowed: 'dan' },
    expect: { allowed: 'applied', notAllowed: 'NOT_PERMITTED', unknown: 'UNKNOWN_PERSON' },
  }),
  {
    action: 'incident.open',
    setup: async () => 'svc',
    forms: () => ({ command: '/incident open svc the error rate is climbing' }),
    people: { allowed: 'ben', notAllowed: 'dan' },
    expect: { allowed: 'applied', notAllowed: 'NOT_PERMITTED', unknown: 'UNKNOWN_PERSON' },
    snapshot: async (h) => (await h.preflight.engine.incidents.list({ limit: 100 })).length,
    subject: () => 'service:svc',
    cleanup: resolveOpen,
  },
  {
    action: 'lock',
    setup: async () => 'svc',
    forms: () => ({ command: '/deploy lock svc production maintenance' }),
    people: { allowed: 'ben', notAllowed: 'dan' },
    expect: { allowed: 'applied', notAllowed: 'NOT_PERMITTED', unknown: 'UNKNOWN_PERSON' },
    snapshot: lockState,
    subject: () => LOCK,
    cleanup: async (h) => void (await h.preflight.engine.store.unlockManually('svc', 'production')),
  },
  {
    action: 'unlock',
    async setup(h) {
      const now = Date.now();
      const holder = {
        kind: 'manual' as const,
        owner: 'ann',
        reason: 'test',
        at: now,
        expiresAt: now + 60_000,
      };
      await h.preflight.engine.store.lockManually('svc', 'production', holder);
      return 'svc';
    },
    forms: () => ({ command: '/deploy unlock svc production' }),
    people: { allowed: 'ben', notAllowed: 'dan' },
    expect: { allowed: 'applied', notAllowed: 'NOT_PERMITTED', unknown: 'UNKNOWN_PERSON' },
    snapshot: lockState,
    subject: () => LOCK,
    cleanup: async (h) => void (await h.preflight.engine.store.unlockManually('svc', 'production')),
  },
];
