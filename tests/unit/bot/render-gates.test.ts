import { describe, expect, it } from 'vitest';
import { renderGate } from '../../../src/bot/render/render-gates.ts';
import { Driver, testRunbook } from '../../helpers/deployment-fixture.ts';

describe('the gate prompt', () => {
  it('asks the approvers other than the requester, and says why the requester is left out', () => {
    const d = new Driver(testRunbook()); // requested by ann, one of the ops approvers
    const text = renderGate({ deployment: d.deployment, runbook: d.runbook, now: d.now }, 'operations').text;
    expect(text).toContain(
      '@{ben} @{cat}: react ✅ to approve or ❌ to reject (Ann requested this deployment, so their approval does not count).',
    );
    expect(text).not.toContain('@{ann}');
  });

  it('says nothing about the requester when they are not an approver', () => {
    const d = new Driver(testRunbook());
    const text = renderGate({ deployment: d.deployment, runbook: d.runbook, now: d.now }, 'security').text;
    expect(text).toContain('@{dan}: react ✅ to approve or ❌ to reject.');
  });
});
