/** The engine on a private copy of the sandbox runbook, and the way a deployment of it gets past its checklist and gates. */
import { afterAll, beforeAll, expect } from 'vitest';
import { type Harness, type HarnessOptions, startHarness } from './engine-harness.ts';
import { copySandbox, type SandboxCopy } from './sandbox-copy.ts';

export interface SandboxSuite<R> {
  readonly h: Harness;
  readonly sandbox: SandboxCopy;
  readonly redis: R;
}

/**
 * Registers beforeAll/afterAll that start Redis (however `startRedis` runs it), the sandbox copy and the harness on
 * them, and stop them again; read the suite inside tests (or a later beforeAll).
 */
export function useSandboxHarness<R extends { readonly url: string; stop(): Promise<unknown> }>(
  startRedis: () => Promise<R>,
  options: { readonly tuning?: HarnessOptions['tuning']; readonly startMs?: number } = {},
): SandboxSuite<R> {
  let suite: SandboxSuite<R> | undefined;
  let redis: R | undefined;
  let sandbox: SandboxCopy | undefined;
  beforeAll(async () => {
    redis = await startRedis();
    sandbox = await copySandbox();
    const h = await startHarness({
      runbook: sandbox.runbookText,
      redisUrl: redis.url,
      dir: sandbox.dir,
      ...(options.tuning ? { tuning: options.tuning } : {}),
    });
    suite = { h, sandbox, redis };
  }, options.startMs);
  afterAll(async () => {
    await suite?.h.stop();
    await sandbox?.remove();
    await redis?.stop();
  });
  const started = (): SandboxSuite<R> => {
    if (!suite) throw new Error('the sandbox suite is read before beforeAll started it');
    return suite;
  };
  return {
    get h() {
      return started().h;
    },
    get sandbox() {
      return started().sandbox;
    },
    get redis() {
      return started().redis;
    },
  };
}

/** Fails the test with the error of a change the engine refused. */
export async function must(outcome: Promise<{ ok: boolean; error?: unknown }>): Promise<void> {
  const result = await outcome;
  if (!result.ok) throw result.error;
}

/**
 * Starts v1.3.0 as alice, waits for the four automatic checks to pass (within `checksMs`), has bob, dave and carol
 * tick the three items that are theirs, and waits for the gates; returns the deployment's id.
 */
export async function startPastChecklist(h: Harness, checksMs?: number): Promise<string> {
  const started = await h.start('v1.3.0', 'alice');
  if (!started.ok) throw started.error;
  const id = started.deployment.id;
  await h.waitFor(id, (d) => d.checklist.filter((c) => c.status === 'passed').length === 4, checksMs);
  await must(h.apply(id, { type: 'checklist.tick', item: 'release-notes', by: 'bob' }));
  await must(h.apply(id, { type: 'checklist.tick', item: 'security-scan', by: 'dave' }));
  await must(h.apply(id, { type: 'checklist.tick', item: 'support-told', by: 'carol' }));
  await h.waitFor(id, (d) => d.state === 'awaiting_gates');
  return id;
}

/** Passes both gates: security by dave, then operations by bob and carol. */
export async function approveBothGates(h: Harness, id: string): Promise<void> {
  await must(h.apply(id, { type: 'gate.approve', gate: 'security', by: 'dave' }));
  await must(h.apply(id, { type: 'gate.approve', gate: 'operations', by: 'bob' }));
  await must(h.apply(id, { type: 'gate.approve', gate: 'operations', by: 'carol' }));
}

/** Waits (within `settleMs`) for the deployment to settle, and expects it in monitoring with its four steps succeeded. */
export async function expectMonitoring(h: Harness, id: string, settleMs: number) {
  const d = await h.waitFor(
    id,
    (x) => ['monitoring', 'failed', 'needs_decision', 'rolled_back'].includes(x.state),
    settleMs,
  );
  expect(d.state).toBe('monitoring');
  expect(d.steps.map((s) => [s.id, s.status])).toEqual([
    ['backup', 'succeeded'],
    ['migrate', 'succeeded'],
    ['deploy', 'succeeded'],
    ['smoke', 'succeeded'],
  ]);
  return d;
}
