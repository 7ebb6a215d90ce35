import { describe, expect, it } from 'vitest';
import {
  createDeployment,
  type DeploymentEvent,
  plainLiterals,
  transition,
} from '../../../src/core/index.ts';
import { Driver, TEST_RUNBOOK, testRunbook } from '../../helpers/deployment-fixture.ts';

const runbook = testRunbook();

function finished(step: string, runId: string): DeploymentEvent {
  return {
    type: 'step.finish',
    phase: 'deploy',
    step,
    runId,
    outcome: 'succeeded',
    exitCode: 0,
    durationMs: 1,
    outputTail: '',
  };
}

describe('a deployment from start to finish', () => {
  it('runs checklist, gates, timed steps, and succeeds', () => {
    const d = new Driver(runbook);
    expect(d.deployment.state).toBe('checklist');
    expect(d.effectTypes()).toEqual(
      expect.arrayContaining(['post:status', 'post:checklist', 'run-checklist']),
    );
    d.apply({ type: 'checklist.result', item: 'auto', passed: true, detail: 'exit 0' });
    expect(d.deployment.state).toBe('checklist');
    d.apply({ type: 'checklist.tick', item: 'tick-me', by: 'ben', onMessage: 'item:tick-me' });
    expect(d.deployment.state).toBe('awaiting_gates');
    expect(d.effectTypes().filter((t) => t === 'post:gate')).toHaveLength(2);
    d.apply({ type: 'gate.approve', gate: 'security', by: 'dan', onMessage: 'gate:security' });
    d.apply({ type: 'gate.approve', gate: 'operations', by: 'ben', onMessage: 'gate:operations' });
    expect(d.deployment.state).toBe('awaiting_gates');
    d.apply({ type: 'gate.approve', gate: 'operations', by: 'cat', onMessage: 'gate:operations' });
    expect(d.deployment.state).toBe('scheduled');
    expect(d.audit).toContain('deployment.authorized');
    const runStep = d.effects.find((e) => e.type === 'run-step');
    expect(runStep).toMatchObject({ step: 'migrate', attempt: 1, at: d.now + 10_000 });
    d.run('migrate');
    expect(d.step('deploy')).toMatchObject({
      status: 'waiting',
      notBefore: (d.deployment.runStart ?? 0) + 20_000,
    });
    d.run('deploy').run('smoke');
    expect(d.deployment.state).toBe('succeeded');
    expect(d.effects).toContainEqual({
      type: 'post',
      topic: { kind: 'report', state: 'succeeded', at: d.now, outcome: 'shop v1.2.3 is live in production' },
    });
  });

  it('records lateness when a step starts after its time', () => {
    const d = new Driver(runbook).approveAll();
    const runId = 'job-migrate-1';
    d.apply({ type: 'step.start', phase: 'deploy', step: 'migrate', runId }, 25_000);
    expect(d.step('migrate').lateMs).toBe(15_000);
  });

  it('does not call a step without a time of its own late because the steps before it took long', () => {
    const d = new Driver(runbook).approveAll();
    d.apply({ type: 'step.start', phase: 'deploy', step: 'migrate', runId: 'job-migrate' }, 10_000);
    d.apply(finished('migrate', 'job-migrate'), 5_000);
    d.apply({ type: 'step.start', phase: 'deploy', step: 'deploy', runId: 'job-deploy' }, 5_000);
    d.apply(finished('deploy', 'job-deploy'), 90_000);
    d.apply({ type: 'step.start', phase: 'deploy', step: 'smoke', runId: 'job-smoke' }, 200);
    expect(d.step('deploy').lateMs).toBe(0);
    expect(d.step('smoke').lateMs).toBe(200);
  });

  it('refuses a version that does not match the pattern, and hostile text', () => {
    for (const version of ['1.2.3', 'v1.2', 'v1.2.3; rm -rf /', '$(reboot)']) {
      const result = createDeployment(
        { runbook, now: 0 },
        { id: 'x', version, requestedBy: 'ann', runbookDigest: 'd' },
      );
      expect(result.ok, version).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('BAD_PARAMETER');
    }
  });

  it('refuses an unknown environment and names the choices', () => {
    const result = createDeployment(
      { runbook, now: 0 },
      { id: 'x', version: 'v1.0.0', environment: 'prod', requestedBy: 'ann', runbookDigest: 'd' },
    );
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(plainLiterals(result.error.message)).toBe(
        'unknown environment "prod"; this runbook deploys to production, staging',
      );
  });
});

describe('gates', () => {
  it('ignores people who are not approvers and says who can approve', () => {
    const d = new Driver(runbook).apply({ type: 'checklist.result', item: 'auto', passed: true, detail: '' });
    d.apply({ type: 'checklist.tick', item: 'tick-me', by: 'ben', onMessage: 'item:tick-me' });
    expect(
      d.refused({ type: 'gate.approve', gate: 'security', by: 'ben', onMessage: 'gate:security' }),
    ).toEqual({
      code: 'NOT_AN_APPROVER',
      message:
        'only Dan can approve the security gate (gates.security.approvers); your approval was not counted',
    });
  });

  it("does not count the requester's own approval", () => {
    const d = new Driver(runbook).apply({ type: 'checklist.result', item: 'auto', passed: true, detail: '' });
    d.apply({ type: 'checklist.tick', item: 'tick-me', by: 'ben', onMessage: 'item:tick-me' });
    expect(
      d.refused({ type: 'gate.approve', gate: 'operations', by: 'ann', onMessage: 'gate:operations' }),
    ).toEqual({
      code: 'SELF_APPROVAL',
      message:
        'you requested this deployment, so your approval does not count for the operations gate (ask Ben or Cat)',
    });
  });

  it('withdraws an approval removed before the gate closes, or before its step has started, not after', () => {
    const d = new Driver(runbook).apply({ type: 'checklist.result', item: 'auto', passed: true, detail: '' });
    d.apply({ type: 'checklist.tick', item: 'tick-me', by: 'ben', onMessage: 'item:tick-me' });
    d.apply({ type: 'gate.approve', gate: 'operations', by: 'ben', onMessage: 'gate:operations' });
    d.apply({ type: 'gate.withdraw', gate: 'operations', by: 'ben', onMessage: 'gate:operations' });
    expect(d.deployment.gates.find((g) => g.id === 'operations')?.approvals).toEqual([]);
    d.apply({ type: 'gate.approve', gate: 'security', by: 'dan', onMessage: 'gate:security' });
    d.apply({ type: 'gate.approve', gate: 'operations', by: 'ben', onMessage: 'gate:operations' });
    d.apply({ type: 'gate.approve', gate: 'operations', by: 'cat', onMessage: 'gate:operations' });
    expect(d.deployment.state).toBe('scheduled');
    expect(d.step('migrate')).toMatchObject({ status: 'waiting', attempt: 1 });

    // Cat takes the ✅ back while Migrate waits for its time: the gate opens again and Migrate does not start.
    d.apply({ type: 'gate.withdraw', gate: 'operations', by: 'cat', onMessage: 'gate:operations' });
    const operations = d.deployment.gates.find((g) => g.id === 'operations');
    expect(operations).toMatchObject({ status: 'pending', approvals: [{ by: 'ben' }] });
    expect(operations?.closedAt).toBeUndefined();
    expect(d.deployment.state).toBe('awaiting_gates');
    expect(d.deployment.authorizedAt).toBeUndefined();
    expect(d.step('migrate')).toMatchObject({ status: 'pending', attempt: 0 });
    expect(d.audit.slice(-2)).toEqual(['gate.withdrawn', 'gate.reopened']);
    // The job scheduled for attempt 1 comes due and finds nothing to start.
    d.apply({ type: 'step.start', phase: 'deploy', step: 'migrate', runId: 'job-migrate-1' }, 10_000);
    expect(d.step('migrate').status).toBe('pending');

    d.apply({ type: 'gate.approve', gate: 'operations', by: 'cat', onMessage: 'gate:operations' });
    expect(d.deployment.state).toBe('scheduled');
    expect(d.deployment.authorizedAt).toBeDefined();
    expect(d.step('migrate')).toMatchObject({ status: 'waiting', attempt: 1 });
    d.apply({ type: 'step.start', phase: 'deploy', step: 'migrate', runId: 'job-migrate-1b' });
    // Too late to take back: the ✅ taken off now changes nothing, and Cat is told her approval stands.
    const before = d.deployment;
    expect(
      d.refused({ type: 'gate.withdraw', gate: 'operations', by: 'cat', onMessage: 'gate:operations' })
        .message,
    ).toMatch(/^the operations gate already closed, so your approval of it stands/);
    expect(d.deployment).toBe(before);
    expect(d.refused({ type: 'gate.reject', gate: 'security', by: 'dan' }).code).toBe('GATE_CLOSED');
  });

  it('takes back, for a ✅ taken off a reminder, only the approval that ✅ gave', () => {
    const d = new Driver(runbook).apply({ type: 'checklist.result', item: 'auto', passed: true, detail: '' });
    d.apply({ type: 'checklist.tick', item: 'tick-me', by: 'ben', onMessage: 'item:tick-me' });
    d.apply({ type: 'gate.approve', gate: 'operations', by: 'ben', onMessage: 'gate-message' });
    // Ben also reacted on a reminder ("already counted"), then took that ✅ off: his approval on the gate stands.
    const before = d.deployment;
    d.apply({ type: 'gate.withdraw', gate: 'operations', by: 'ben', onMessage: 'reminder-1' });
    expect(d.deployment).toBe(before);
    // Dan's ✅ given on a reminder is taken back by taking it off there.
    d.apply({ type: 'gate.approve', gate: 'security', by: 'dan', onMessage: 'reminder-2' });
    d.apply({ type: 'gate.withdraw', gate: 'security', by: 'dan', onMessage: 'reminder-2' });
    expect(d.deployment.gates.map((g) => [g.id, g.approvals.map((a) => a.by)])).toEqual([
      ['security', []],
      ['operations', ['ben']],
    ]);
  });

  it('takes a ✅ taken off that withdraws nothing without a word: not theirs, a deployment over without going live', () => {
    const d = new Driver(runbook).apply({ type: 'checklist.result', item: 'auto', passed: true, detail: '' });
    const quiet = (event: DeploymentEvent) => {
      const before = d.deployment;
      d.apply(event);
      expect(d.deployment, event.type).toBe(before);
      expect([d.effects, d.reply]).toEqual([[], undefined]);
    };
    // Dan never ticked the item, nor approved a gate not yet asked for.
    quiet({ type: 'checklist.untick', item: 'tick-me', by: 'dan', onMessage: 'item:tick-me' });
    quiet({ type: 'gate.withdraw', gate: 'operations', by: 'dan', onMessage: 'gate:operations' });
    d.apply({ type: 'checklist.tick', item: 'tick-me', by: 'ben', onMessage: 'item:tick-me' });
    // The checklist is done and the deployment has moved on: Ben's tick is no longer his to take back (he is told
    // so: tick-stands); Dan's ✅ taken off an item he never ticked still says nothing.
    quiet({ type: 'checklist.untick', item: 'tick-me', by: 'dan', onMessage: 'item:tick-me' });
    quiet({ type: 'gate.withdraw', gate: 'operations', by: 'cat', onMessage: 'gate:operations' });
    d.apply({ type: 'gate.approve', gate: 'security', by: 'dan', onMessage: 'gate:security' });
    d.apply({ type: 'abort', by: 'ann', emergency: false });
    expect(d.deployment.state).toBe('aborted');
    quiet({ type: 'gate.withdraw', gate: 'security', by: 'dan', onMessage: 'gate:security' });
    quiet({ type: 'checklist.untick', item: 'tick-me', by: 'ben', onMessage: 'item:tick-me' });
    quiet({ type: 'task.untick', window: 0, index: 0, by: 'dan', onMessage: 'task:0:0' });
  });

  it('tells an approver who takes their ✅ off a gate that closed on it that it stands, and what to do instead', () => {
    const d = new Driver(runbook).approveAll();
    d.apply({ type: 'step.start', phase: 'deploy', step: 'migrate', runId: 'job-migrate-1' }, 10_000);
    const running = d.deployment;
    // Ben may pause and abort; Dan may neither, and is told who may.
    expect(
      d.refused({ type: 'gate.withdraw', gate: 'operations', by: 'ben', onMessage: 'gate:operations' }),
    ).toEqual({
      code: 'GATE_CLOSED',
      message:
        "the operations gate already closed, so your approval of it stands (taking your ✅ off does not withdraw it): the steps it let through have started. To hold shop-1's next steps: `/deploy pause shop-1`; to stop it: `/deploy abort shop-1`.",
    });
    expect(
      d.refused({ type: 'gate.withdraw', gate: 'security', by: 'dan', onMessage: 'gate:security' }).message,
    ).toBe(
      "the security gate already closed, so your approval of it stands (taking your ✅ off does not withdraw it): the steps it let through have started. To hold shop-1's next steps: `/deploy pause shop-1` (only Ann, Ben, Cat may: ask them); to stop it: `/deploy abort shop-1` (only Ann, Ben, Cat may: ask them).",
    );
    expect(d.deployment).toBe(running);
    d.apply(finished('migrate', 'job-migrate-1'));
    d.run('deploy').run('smoke');
    expect(d.deployment.state).toBe('succeeded');
    expect(
      d.refused({ type: 'gate.withdraw', gate: 'operations', by: 'cat', onMessage: 'gate:operations' })
        .message,
    ).toBe(
      'the operations gate already closed, so your approval of it stands (taking your ✅ off does not withdraw it): shop-1 is live. To undo it: `/rollback shop-1`.',
    );
    expect(d.deployment.gates.find((g) => g.id === 'operations')?.approvals.map((a) => a.by)).toEqual([
      'ben',
      'cat',
    ]);
  });

  it('rejects an approved gate on a ❌ from an approver before its step has started', () => {
    const d = new Driver(runbook).approveAll();
    expect(d.step('migrate').status).toBe('waiting');
    d.apply({ type: 'gate.reject', gate: 'security', by: 'dan', reason: 'new CVE' });
    expect(d.deployment.state).toBe('failed');
    expect(d.deployment.outcome).toBe('the security gate was rejected by Dan');
    expect(
      d.refused({ type: 'step.start', phase: 'deploy', step: 'migrate', runId: 'job-migrate-1' }).code,
    ).toBe('WRONG_STATE');
    expect(d.audit).not.toContain('step.started');
  });

  it('fails the deployment on a rejection and asks for the reason', () => {
    const d = new Driver(runbook).apply({ type: 'checklist.result', item: 'auto', passed: true, detail: '' });
    d.apply({ type: 'checklist.tick', item: 'tick-me', by: 'ben', onMessage: 'item:tick-me' });
    d.apply({ type: 'gate.reject', gate: 'security', by: 'dan' });
    expect(d.deployment.state).toBe('failed');
    expect(d.deployment.outcome).toBe('the security gate was rejected by Dan');
    // The request is drawn when it is sent (render-gates.test.ts), so a reason given by then is said instead.
    expect(d.effects).toContainEqual({ type: 'post', topic: { kind: 'rejection', gate: 'security' } });
    d.apply({ type: 'gate.reason', gate: 'security', by: 'dan', reason: 'CVE open' });
    expect(d.deployment.gates.find((g) => g.id === 'security')?.rejection?.reason).toBe('CVE open');
    expect(d.effects).toContainEqual({ type: 'refresh', topic: { kind: 'rejection', gate: 'security' } });
  });

  it("reminds only the gate's approvers, never the escalation ladder, and expires", () => {
    const d = new Driver(runbook).apply({ type: 'checklist.result', item: 'auto', passed: true, detail: '' });
    d.apply({ type: 'checklist.tick', item: 'tick-me', by: 'ben', onMessage: 'item:tick-me' });
    expect(d.effects).toContainEqual({
      type: 'timer',
      timer: { kind: 'gate.expire', gate: 'security', since: d.now },
      at: d.now + 3_600_000,
    });
    d.apply({ type: 'gate.remind', gate: 'security', count: 1 }, 20 * 60_000);
    expect(JSON.stringify(d.effects)).toContain('Reminder: the security gate has waited 20m for @{dan}.');
    // Ann requested the deployment: the operations reminder names only the approvers whose approval counts.
    d.apply({ type: 'gate.remind', gate: 'operations', count: 1 });
    expect(JSON.stringify(d.effects)).toContain(
      'Reminder: the operations gate has waited 20m for @{ben}, @{cat}.',
    );
    // Later reminders still name only the gate's approvers: never the incident escalation ladder (Ann, L1).
    d.apply({ type: 'gate.remind', gate: 'security', count: 2 }, 20 * 60_000);
    expect(d.effects).toContainEqual({
      type: 'post',
      topic: {
        kind: 'note',
        key: 'remind:security:2',
        text: "Reminder: the security gate has waited 40m for @{dan}. React ✅ here or on the gate's message to approve.",
      },
    });
    expect(JSON.stringify(d.effects)).not.toContain('@{ann}');
    d.apply({ type: 'gate.expire', gate: 'security' }, 20 * 60_000);
    expect(d.deployment.state).toBe('failed');
    expect(d.deployment.outcome).toBe('the security gate expired after 1h with 0 of 1 approvals');
  });

  it('gives a gate reopened by a withdrawal a new expiry and reminders, and retires the old ones', () => {
    const d = new Driver(runbook).apply({ type: 'checklist.result', item: 'auto', passed: true, detail: '' });
    d.apply({ type: 'checklist.tick', item: 'tick-me', by: 'ben', onMessage: 'item:tick-me' });
    const requested = d.now;
    d.apply({ type: 'gate.approve', gate: 'operations', by: 'ben', onMessage: 'gate:operations' });
    d.apply({ type: 'gate.approve', gate: 'operations', by: 'cat', onMessage: 'gate:operations' });
    d.apply({ type: 'gate.approve', gate: 'security', by: 'dan', onMessage: 'gate:security' }, 5 * 60_000);
    const authorizedAt = d.deployment.authorizedAt;
    expect(d.effects).toContainEqual({ type: 'post', topic: { kind: 'authorization', at: authorizedAt } });
    // The first reminder comes due while the gate is approved: nothing to remind of.
    d.apply({ type: 'gate.remind', gate: 'security', count: 1, since: requested }, 15 * 60_000);
    expect(d.effects).toEqual([]);

    d.apply({ type: 'gate.withdraw', gate: 'security', by: 'dan', onMessage: 'gate:security' }, 10 * 60_000);
    const reopened = d.now;
    expect(d.deployment.gates.find((g) => g.id === 'security')).toMatchObject({
      status: 'pending',
      reopenedAt: reopened,
    });
    expect(d.effects).toEqual(
      expect.arrayContaining([
        { type: 'refresh', topic: { kind: 'authorization', at: authorizedAt } },
        {
          type: 'timer',
          timer: { kind: 'gate.expire', gate: 'security', since: reopened },
          at: reopened + 3_600_000,
        },
        {
          type: 'timer',
          timer: { kind: 'gate.remind', gate: 'security', count: 1, since: reopened },
          at: reopened + 20 * 60_000,
        },
      ]),
    );
    // The expiry set when the gate was first requested falls due 1 h after the request: it no longer applies.
    d.apply({ type: 'gate.expire', gate: 'security', since: requested }, 35 * 60_000);
    expect(d.deployment.state).toBe('awaiting_gates');
    // So does a timer from before the timers carried their opening.
    d.apply({ type: 'gate.expire', gate: 'security' });
    expect(d.deployment.state).toBe('awaiting_gates');
    // The new round of reminders counts from the reopening, under a key of its own.
    d.apply({ type: 'gate.remind', gate: 'security', count: 1, since: reopened }, 5 * 60_000);
    expect(d.effects).toContainEqual({
      type: 'post',
      topic: {
        kind: 'note',
        key: `remind:security@${reopened}:1`,
        text: "Reminder: the security gate has waited 40m for @{dan}. React ✅ here or on the gate's message to approve.",
      },
    });
    d.apply({ type: 'gate.expire', gate: 'security', since: reopened }, 20 * 60_000);
    expect(d.deployment.state).toBe('failed');
    expect(d.deployment.outcome).toBe('the security gate expired after 1h with 0 of 1 approvals');
  });
});

describe('manual checklist items', () => {
  it('are ticked only by their owners', () => {
    const d = new Driver(runbook);
    expect(
      d.refused({ type: 'checklist.tick', item: 'tick-me', by: 'dan', onMessage: 'item:tick-me' }),
    ).toEqual({
      code: 'NOT_THE_OWNER',
      message: 'only Ann, Ben, Cat can tick "Backup taken"; your tick was not counted',
    });
  });

  it('ask a decision when an automated check fails, and re-run it on retry', () => {
    const d = new Driver(runbook).apply({
      type: 'checklist.result',
      item: 'auto',
      passed: false,
      detail: 'exit 1',
    });
    expect(d.deployment.state).toBe('needs_decision');
    d.apply({ type: 'decide', choice: 'retry', by: 'ann' });
    expect(d.deployment.state).toBe('checklist');
    expect(d.effects).toContainEqual({ type: 'run-checklist', item: 'auto' });
  });
});

describe('replies to the person who acted', () => {
  it('name them in words, never as a raw @{id} placeholder', () => {
    const d = new Driver(runbook);
    const result = transition({ runbook, now: d.now }, d.deployment, {
      type: 'checklist.tick',
      item: 'tick-me',
      by: 'ben',
    });
    expect(result.ok && result.reply).toBe('ticked "Backup taken" for Ben');
  });
});

describe('a step due after the deployment window has closed', () => {
  const windowed = testRunbook(
    TEST_RUNBOOK.replace('timezone: UTC\n', 'timezone: UTC\nwindow: { start: "06:00", end: "06:30" }\n'),
  );

  it('is not started: people decide to run the rest outside the window (nothing ran yet to roll back)', () => {
    const d = new Driver(windowed).approveAll();
    expect(d.step('migrate').status).toBe('waiting');
    // The approvals came in time, but the bot was down until 06:40: the step's job comes due after the window.
    d.apply({ type: 'step.start', phase: 'deploy', step: 'migrate', runId: 'job-migrate-1' }, 40 * 60_000);
    expect(d.deployment.state).toBe('needs_decision');
    expect(d.step('migrate').status).toBe('pending');
    expect(d.deployment.decision).toMatchObject({
      step: 'migrate',
      options: ['run'],
      window: true,
      reason:
        'the deployment window (06:00–06:30 UTC) closed before step "Migrate" could start. Run the rest outside the window or /deploy abort',
    });
    expect(d.audit).not.toContain('step.started');

    d.apply({ type: 'decide', choice: 'run', by: 'ben' });
    expect(d.deployment.windowWaived).toMatchObject({ by: 'ben' });
    expect(d.audit).toContain('window.waived');
    // The step runs as the attempt it was scheduled as: the report does not count a start that never happened.
    expect(d.step('migrate')).toMatchObject({ status: 'waiting', attempt: 1 });
    d.run('migrate');
    // Chosen once for the deployment: the later steps are not asked about again.
    d.run('deploy').run('smoke');
    expect(d.deployment.state).toBe('succeeded');
  });

  it("is for the override gate's approvers to run outside the window, where the runbook has one (not the requester)", () => {
    const overridden = testRunbook(
      TEST_RUNBOOK.replace(
        'timezone: UTC\n',
        'timezone: UTC\nwindow: { start: "06:00", end: "06:30", outside: override, override_gate: late }\n',
      ).replace('gates:\n', 'gates:\n  late: { title: Late go-ahead, approvers: [ann, dan] }\n'),
    );
    const d = new Driver(overridden).approveAll();
    d.apply({ type: 'step.start', phase: 'deploy', step: 'migrate', runId: 'job-migrate-1' }, 40 * 60_000);
    expect(d.deployment.decision?.reason).toBe(
      `the deployment window (06:00–06:30 UTC) closed before step "Migrate" could start. Run the rest outside the window (for the Late go-ahead gate's approvers: Ann, Dan) or /deploy abort`,
    );
    // Ben may decide (permissions.deploy) but is not the gate's; Ann is, but requested the deployment.
    expect(d.refused({ type: 'decide', choice: 'run', by: 'ben' })).toEqual({
      code: 'NOT_AN_APPROVER',
      message:
        "only Dan can let shop-1 run outside its deployment window (the Late go-ahead gate's approvers, gates.late.approvers, not Ann: they requested this deployment); your choice was not taken",
    });
    expect(d.refused({ type: 'decide', choice: 'run', by: 'ann' }).code).toBe('SELF_APPROVAL');
    expect(d.deployment.windowWaived).toBeUndefined();
    d.apply({ type: 'decide', choice: 'run', by: 'dan' });
    expect(d.deployment.windowWaived).toMatchObject({ by: 'dan' });
    d.run('migrate').run('deploy').run('smoke');
    expect(d.deployment.state).toBe('succeeded');
  });

  it('runs steps due inside the window as before', () => {
    const d = new Driver(windowed).approveAll();
    d.run('migrate').run('deploy').run('smoke');
    expect(d.deployment.state).toBe('succeeded');
    expect(d.audit).not.toContain('decision.asked');
  });
});
