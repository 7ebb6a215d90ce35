import { describe, expect, it } from 'vitest';
import { renderTopic } from '../../../src/bot/render/render-topic.ts';
import { type MessageTopic, topicKey } from '../../../src/core/index.ts';
import { Driver, testRunbook } from '../../helpers/deployment-fixture.ts';

const INCOMPLETE = 'rollback incomplete: rollback step "Restore" failed and was skipped';

/** The rollback asked for ends incomplete (Restore fails and is skipped, the confirm step too); its report. */
function endIncomplete(d: Driver): MessageTopic {
  d.run('restore', 'failed', 'rollback');
  d.apply({ type: 'decide', choice: 'skip', by: 'ben' });
  d.apply({ type: 'decide', choice: 'skip', by: 'ben' }); // the confirm step asks first
  expect(d.deployment.state).toBe('rollback_failed');
  const report = d.effects.find((e) => e.type === 'post' && e.topic.kind === 'report');
  if (report?.type !== 'post') throw new Error('no report');
  return report.topic;
}

describe('a rollback asked again after one ended incomplete', () => {
  it('is under way: the first one’s outcome and end no longer stand, the audit log keeps them', () => {
    const d = new Driver(testRunbook()).approveAll().run('migrate');
    d.apply({ type: 'rollback.request', by: 'ben', reason: 'undo' });
    endIncomplete(d);
    expect(d.deployment.outcome).toBe(INCOMPLETE);
    d.apply({ type: 'rollback.request', by: 'ben', reason: 'try again' }, 1000);
    expect(d.deployment.state).toBe('rolling_back');
    expect(d.deployment.outcome).toBeUndefined();
    expect(d.deployment.finishedAt).toBeUndefined();
    const ended = d.records.find((r) => r.type === 'deployment.rollback_failed');
    expect(ended?.detail).toEqual({ outcome: INCOMPLETE });
  });

  it('ending incomplete again gets a report of its own; the first report still tells the first end', () => {
    const d = new Driver(testRunbook()).approveAll().run('migrate');
    d.apply({ type: 'rollback.request', by: 'ben', reason: 'undo' });
    const first = endIncomplete(d);
    const firstEnd = d.now;
    d.apply({ type: 'rollback.request', by: 'ben', reason: 'try again' }, 60_000);
    // Sent only now (the channel was slow): the report is still the first end's.
    const late = renderTopic({ deployment: d.deployment, runbook: d.runbook, now: d.now }, first).text;
    expect(late).toContain(`Outcome: ${INCOMPLETE}`);
    expect(late).toContain('🔥 *Report*');
    expect(first).toMatchObject({
      kind: 'report',
      state: 'rollback_failed',
      at: firstEnd,
      outcome: INCOMPLETE,
    });
    const second = endIncomplete(d);
    expect(topicKey(second)).not.toBe(topicKey(first));
    expect(d.records.filter((r) => r.type === 'deployment.rollback_failed')).toHaveLength(2);
  });
});
