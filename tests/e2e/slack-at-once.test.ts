/**
 * Two people asking things of one service at the same moment, through signed Slack requests: one deployment, one
 * consistent outcome, nothing doubled in the thread, and each person told what happened and what to do.
 */
import { describe, expect, it } from 'vitest';
import { ANN, BEN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const suite = useSlackSuite(oneGateRunbook('race', { rollbackApproval: true }));
const answer = async (tag: string) => {
  const { h } = suite;
  return String(
    (await h.waitFor(`the answer ${tag}`, () => h.fake.responses.find((r) => r.tag === tag)))?.body.text,
  );
};
const answers = (...tags: string[]) => Promise.all(tags.map(answer));
const thread = (id: string) => {
  const { h } = suite;
  const root = h.fake.messages.find((m) => !m.threadTs && m.text.includes(`(${id})`));
  return h.fake.messages
    .filter((m) => m.threadTs !== undefined && m.threadTs === root?.ts)
    .map((m) => m.text);
};
const audit = async (id: string) =>
  (await suite.h.preflight.engine.store.audit(id)).map((r) => `${r.type}:${r.actor}`);

describe('at the same moment', () => {
  it('two people start the same version: one deployment; the other is told which holds the service', async () => {
    const { h } = suite;
    const sent = await Promise.all([
      h.command(ANN, '/deploy start race v1.0.0'),
      h.command(BEN, '/deploy start race v1.0.0'),
    ]);
    const told = await answers(...sent.map((s) => s.tag));
    expect(told.filter((t) => t.startsWith('Starting race-1: race v1.0.0 → production'))).toHaveLength(1);
    const busy = told.find((t) => t.startsWith('⚠️'));
    expect(busy).toMatch(
      /^⚠️ race production is busy with deployment race-1 \(v1\.0\.0 by (Ann|Ben), waiting for approvals\); wait for it to finish, or \/deploy abort race-1$/,
    );
    expect(await h.preflight.engine.store.get('race-2')).toBeUndefined();
  });

  it('a lock asked for while the deployment waits at its gate: nothing is locked, the asker told how to hold it; the gate then approves', async () => {
    const { h } = suite;
    const lock = await h.command(BEN, '/deploy lock race production freeze');
    expect(await answer(lock.tag)).toBe(
      '⚠️ race production is busy with deployment race-1 (v1.0.0 by Ann, waiting for approvals), so nothing was locked: a lock holds off deployments not yet started. /deploy pause race-1 keeps it from starting another step; /deploy abort race-1 stops it',
    );
    await h.click(BEN, structuredClone(await h.messageOf('race-1', 'gate:go')), 'gate.approve');
    await h.waitForState('race-1', ['succeeded']);
    expect(await h.preflight.engine.store.lockHolder('race', 'production')).toBeUndefined();
  });

  it('two rollback approvers roll back at once: one rollback; the other is told it is rolling back or rolled back', async () => {
    const { h } = suite;
    const sent = await Promise.all([h.command(ANN, '/rollback race-1'), h.command(BEN, '/rollback race-1')]);
    const told = await answers(...sent.map((s) => s.tag));
    expect(told.filter((t) => t === 'race-1: rolling back race.')).toHaveLength(1);
    // The second is told the rollback under way, or (its steps quick) that it has rolled back.
    expect(
      told.filter((t) =>
        /^⚠️ deployment race-1 is (rolling back|rolled back), so it cannot take that now/.test(t),
      ),
    ).toHaveLength(1);
    await h.waitForState('race-1', ['rolled_back']);
    expect((await audit('race-1')).filter((e) => e.startsWith('rollback.'))).toHaveLength(2);
    const unlock = await h.command(ANN, '/deploy unlock race production undo checked');
    expect(await answer(unlock.tag)).toContain('unlocked');
  });

  it('pause and resume at once: both applied in one order, each said once in the thread', async () => {
    const { h } = suite;
    await answer((await h.command(ANN, '/deploy start race v1.0.1')).tag);
    await h.messageOf('race-2', 'gate:go');
    const sent = await Promise.all([
      h.command(ANN, '/deploy pause race-2'),
      h.command(BEN, '/deploy resume race-2'),
    ]);
    const [paused, resumed] = await answers(...sent.map((s) => s.tag));
    const events = (await audit('race-2')).filter((e) => /paused|resumed/.test(e));
    const stillPaused = (await h.preflight.engine.store.get('race-2'))?.paused;
    if (events.length === 2) {
      // Paused, then resumed: it runs.
      expect(events).toEqual(['deployment.paused:ann', 'deployment.resumed:ben']);
      expect([paused, resumed, stillPaused]).toEqual([
        'race-2: paused: a running step finishes, no new step starts until /deploy resume.',
        'race-2: resumed.',
        false,
      ]);
    } else {
      // Resumed first, when it was not paused: the resume is told so, and the pause stands.
      expect(events).toEqual(['deployment.paused:ann']);
      expect(resumed).toMatch(/^⚠️/);
      expect(stillPaused).toBe(true);
    }
    await h.waitFor(
      'the thread to say it',
      () => thread('race-2').filter((t) => t.includes('paused race-2')).length === 1,
    );
    await new Promise((r) => setTimeout(r, 1_500));
    expect(thread('race-2').filter((t) => t.includes('paused race-2'))).toHaveLength(1);
    expect(thread('race-2').filter((t) => t.includes('resumed race-2'))).toHaveLength(events.length - 1);
  });

  it('abort and approval at once: one outcome, the gate closed once, the approver told the deployment is aborted', async () => {
    const { h } = suite;
    if ((await h.preflight.engine.store.get('race-2'))?.paused) await h.command(ANN, '/deploy resume race-2');
    const gate = structuredClone(await h.messageOf('race-2', 'gate:go'));
    const [abort, approve] = await Promise.all([
      h.command(ANN, '/deploy abort race-2'),
      h.click(BEN, gate, 'gate.approve'),
    ]);
    const [aborted, approved] = await answers(abort.tag, approve.tag);
    const done = await h.waitForState('race-2', ['aborted', 'succeeded']);
    await h.waitFor('the report', () => thread('race-2').some((t) => t.includes('*Report*')));
    await new Promise((r) => setTimeout(r, 1_500));
    expect(thread('race-2').filter((t) => t.includes('*Report*'))).toHaveLength(1);
    if (done.state === 'aborted') {
      expect(aborted).toBe('race-2: deployment aborted.');
      expect(approved).toMatch(/^⚠️ deployment race-2 is aborted, so it cannot take that now/);
      expect(thread('race-2').filter((t) => t.includes('*Go* gate: no longer needed'))).toHaveLength(1);
      expect((await audit('race-2')).filter((e) => e.startsWith('gate.approved'))).toEqual([]);
    } else expect(aborted).toMatch(/^⚠️ deployment race-2/);
  });
});
