/** What a rollback waiting for approval says it waits for: how many approvals, from whom, and how they give them. */
import { describe, expect, it } from 'vitest';
import { describeRollbackWait } from '../../../src/core/access/rollback-approval.ts';
import { Driver, TEST_RUNBOOK, testRunbook } from '../../helpers/deployment-fixture.ts';

const HOW = 'the Approve rollback button or ✅ on the rollback message in its thread, or their own /rollback';

/** The wait of a rollback Ben asked for, under `approval`. */
function waitAfterAsking(approval: string): string {
  const runbook = testRunbook(
    TEST_RUNBOOK.replace('rollback:\n  steps:', `rollback:\n  approval: ${approval}\n  steps:`),
  );
  const d = new Driver(runbook).approveAll().run('migrate').run('deploy').run('smoke');
  d.apply({ type: 'rollback.request', by: 'ben', reason: 'errors up' });
  const run = d.deployment.rollback;
  if (!run) throw new Error('no rollback asked');
  return describeRollbackWait(runbook, run);
}

describe('who a waiting rollback waits for', () => {
  it('any one of them, when one approval is missing', () => {
    expect(waitAfterAsking('{ approvers: [ops], required: 1 }')).toBe(
      `it waits for 1 more approval, from Ann or Cat: ${HOW}`,
    );
  });

  it('each of them, when as many approvals are missing as people may give one', () => {
    expect(waitAfterAsking('{ approvers: [ops], required: 2 }')).toBe(
      `it waits for 2 more approvals, from Ann and Cat: ${HOW}`,
    );
  });

  it('that many of them, when more people may approve than are needed', () => {
    expect(waitAfterAsking('{ approvers: [ann, cat, dan], required: 2 }')).toBe(
      `it waits for 2 more approvals, from 2 of Ann, Cat, or Dan: ${HOW}`,
    );
  });
});
