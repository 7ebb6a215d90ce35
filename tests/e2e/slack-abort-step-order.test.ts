/**
 * `/deploy abort` while a step runs, on Slack: the deployment's thread says the step was stopped before it says the
 * deployment was aborted, so nobody reads the step as having run after the abort, also when Preflight restarts while
 * the step stops. (A `/rollback` while a step runs says first that the rollback waits for the step, then that it
 * stopped, then the rollback's steps and report.)
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const ANN = 'U0ANN0001';
const BEN = 'U0BEN0001';

const RUNBOOK = `version: 1
service: long
timezone: UTC
environments: { production: { default: true } }
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  ann: { name: Ann, slack: ${ANN} }
  ben: { name: Ben, slack: ${BEN} }
groups: { ops: [ann, ben] }
permissions: { deploy: [ops], rollback: [ops], abort: [ops] }
steps:
  # Asked to stop, it takes a second to: long enough for a restart to come between the abort and its end.
  - { id: build, title: Build, run: "trap 'sleep 1' TERM; sleep 30 & wait", timeout: 10m }
  - { id: ship, title: Ship, run: "true" }
rollback:
  approval: { required: 1, approvers: [ops], allow_self: true }
  steps:
    - { id: undo, title: Undo, run: "true" }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`;

const suite = useSlackSuite(RUNBOOK);
let h: SlackHarness;
beforeAll(() => {
  h = suite.h;
});

/** Starts deployment `id` and waits until its first step runs; returns its status message's `ts`. */
async function buildRunning(id: string): Promise<string> {
  expect((await h.command(ANN, '/deploy start long v1.0.0')).status).toBe(200);
  await h.waitFor(`${id}'s Build running`, async () => {
    const d = await h.preflight.engine.store.get(id);
    return d?.steps[0]?.status === 'running';
  });
  return (await h.messageOf(id, 'status')).ts;
}

/** The first line of each reply in the thread under `ts`, in the order Slack shows them, once `last` is among them. */
function threadOnce(ts: string, last: string): Promise<string[]> {
  return h.waitFor(`the thread up to ${last}`, () => {
    const lines = h.fake.messages.filter((m) => m.threadTs === ts).map((m) => m.text.split('\n')[0] ?? '');
    return lines.some((l) => l.startsWith(last)) && lines;
  });
}

describe('a step stopped while it runs, in the Slack thread', () => {
  it('is said stopped before the report that the deployment was aborted', async () => {
    const ts = await buildRunning('long-1');
    expect((await h.command(ANN, '/deploy abort long-1 wrong version')).status).toBe(200);
    await h.waitForState('long-1', ['aborted']);
    const thread = await threadOnce(ts, '🛑 *Report*');
    expect(thread).toEqual([
      '🛑 Step 1 *Build* was stopped',
      '🛑 *Report* *long v1.0.0 → production* (long-1): aborted',
    ]);
    const report = h.fake.messages.find((m) => m.threadTs === ts && m.text.startsWith('🛑 *Report*'));
    expect(report?.text).toContain('Outcome: aborted by Ann: wrong version');
    expect(report?.text).toContain('1. Build: canceled');
  }, 60_000);

  it('is said stopped before the report when Preflight restarts while the step stops', async () => {
    const ts = await buildRunning('long-2');
    expect((await h.command(ANN, '/deploy abort long-2 wrong version')).status).toBe(200);
    await h.waitForState('long-2', ['aborted']);
    await h.restart();
    const thread = await threadOnce(ts, '🛑 *Report*');
    expect(thread).toEqual([
      '🛑 Step 1 *Build* was stopped',
      '🛑 *Report* *long v1.0.0 → production* (long-2): aborted',
    ]);
  }, 60_000);

  it('is said stopped after the rollback asked for it, before the rollback runs', async () => {
    const ts = await buildRunning('long-3');
    expect((await h.command(BEN, '/rollback long-3')).status).toBe(200);
    await h.waitForState('long-3', ['rolled_back']);
    const thread = await threadOnce(ts, '↩️ *Report*');
    expect(thread).toEqual([
      expect.stringMatching(/^↩️ \*Rollback\* of long-3 asked by <@U0BEN0001> at /),
      '⏳ The rollback starts once step *Build*, asked to stop, has stopped.',
      '🛑 Step 1 *Build* was stopped',
      '↩️ *Report* *long v1.0.0 → production* (long-3): rolled back',
    ]);
  }, 60_000);
});
