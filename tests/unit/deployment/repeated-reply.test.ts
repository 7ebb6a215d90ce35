/**
 * A person's request handled a second time (its first handling committed it, then died or its answer failed) is
 * answered as its first handling answered, for every action that has an answer: not "already ticked", not "you
 * approved this rollback already", not a bare "resumed".
 */
import { describe, expect, it } from 'vitest';
import { repeatedReply } from '../../../src/core/deployment/repeated-reply.ts';
import type { DeploymentEvent } from '../../../src/core/index.ts';
import { Driver, TEST_RUNBOOK, testRunbook } from '../../helpers/deployment-fixture.ts';

const runbook = testRunbook();

/** Applies `event` and says what it answered, and what the same request handled again answers. */
function twice(d: Driver, event: DeploymentEvent, advanceMs = 0) {
  d.apply(event, advanceMs);
  return { first: d.reply, again: repeatedReply(d.runbook, d.deployment, event, d.records) };
}

describe('a request handled again answers as it did the first time', () => {
  it('a checklist tick', () => {
    const d = new Driver(runbook);
    const { first, again } = twice(d, {
      type: 'checklist.tick',
      item: 'tick-me',
      by: 'ben',
      onMessage: 'item:tick-me',
    });
    expect(first).toBe('ticked "Backup taken" for Ben');
    expect(again).toBe(first);
  });

  it('a gate rejection, with its reason', () => {
    const d = new Driver(runbook).apply({
      type: 'checklist.tick',
      item: 'tick-me',
      by: 'ben',
      onMessage: 'item:tick-me',
    });
    d.apply({ type: 'checklist.result', item: 'auto', passed: true, detail: 'exit 0' });
    const { first, again } = twice(d, {
      type: 'gate.reject',
      gate: 'security',
      by: 'dan',
      reason: 'CVE open',
    });
    expect(first).toMatch(/^you rejected the .* gate \(.*CVE open.*\): the deployment has stopped/);
    expect(again).toBe(first);
  });

  it('a withdrawal that reopens an approved gate', () => {
    const d = new Driver(runbook).approveAll();
    const { first, again } = twice(d, {
      type: 'gate.withdraw',
      gate: 'operations',
      by: 'cat',
      onMessage: 'gate:operations',
    });
    expect(first).toMatch(/^approval withdrawn: the .* gate is open again \(1 of 2\)$/);
    expect(again).toBe(first);
  });

  it('a decision, with what it was about', () => {
    const d = new Driver(runbook).approveAll().run('migrate', 'failed');
    const { first, again } = twice(d, { type: 'decide', choice: 'skip', by: 'ben' });
    expect(first).toMatch(/^[\w-]+: decided skip \(step .*Migrate.*\)\.$/);
    expect(again).toBe(first);
  });

  it('a pause, and a resume with how long it was paused and what moved', () => {
    const d = new Driver(runbook).approveAll();
    const paused = twice(d, { type: 'pause', by: 'ann' });
    expect(paused.again).toBe(paused.first);
    const resumed = twice(d, { type: 'resume', by: 'ann' }, 12_000);
    expect(resumed.first).toBe(
      'resumed after 12s paused: the remaining steps keep their spacing (their +offset times move 12s later)',
    );
    expect(resumed.again).toBe(resumed.first);
  });

  it('a rollback asked for, and an approval of it', () => {
    const fourEyes = testRunbook(
      TEST_RUNBOOK.replace(
        'rollback:\n  steps:',
        'rollback:\n  approval: { approvers: [ops], required: 2 }\n  steps:',
      ),
    );
    const d = new Driver(fourEyes).approveAll().run('migrate').run('deploy').run('smoke');
    const asked = twice(d, { type: 'rollback.request', by: 'ben', reason: 'errors up' });
    expect(asked.first).toBe(
      'rollback asked; it runs once approved (0 of 2): your own approval does not count; it waits for 2 more approvals, from Ann and Cat: the Approve rollback button or ✅ on the rollback message in its thread, or their own /rollback',
    );
    expect(asked.again).toBe(asked.first);
    const approved = twice(d, { type: 'rollback.approve', by: 'cat' });
    expect(approved.first).toBe('your approval of the rollback is counted (1 of 2)');
    expect(approved.again).toBe(approved.first);
  });

  it('a monitoring task ticked, by name (an answer is not a post: no mention in it)', () => {
    const watched = testRunbook(
      `${TEST_RUNBOOK}monitoring:\n  - { id: watch, from: 0s, to: 1h, every: 1m, tasks: [{ title: Read the logs, owner: [ops] }] }\n`,
    );
    const d = new Driver(watched).approveAll().run('migrate').run('deploy').run('smoke');
    expect(d.deployment.state).toBe('monitoring');
    const { first, again } = twice(d, {
      type: 'task.tick',
      window: 0,
      index: 0,
      by: 'ben',
      onMessage: 'task:0:0',
    });
    expect(first).toBe('ticked "Read the logs" for Ben');
    expect(again).toBe(first);
  });
});
