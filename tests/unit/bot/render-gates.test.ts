import { describe, expect, it } from 'vitest';
import { renderAuthorization, renderGate, renderRejection } from '../../../src/bot/render/render-gates.ts';
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

describe('a gate reopened by a withdrawal', () => {
  const reopen = () => {
    const d = new Driver(testRunbook()).approveAll(); // requested 06:00:00 UTC, authorized at once
    d.apply({ type: 'gate.withdraw', gate: 'security', by: 'dan', onMessage: 'gate:security' }, 25 * 60_000);
    return d;
  };

  it('expires a full hour after it reopened', () => {
    const d = reopen();
    const text = renderGate({ deployment: d.deployment, runbook: d.runbook, now: d.now }, 'security').text;
    expect(text).toContain('0 of 1 approvals');
    expect(text).toContain('Expires at 07:25:00 UTC.');
  });

  it('redraws the authorization it took back as withdrawn, and draws a new one in full', () => {
    const d = reopen();
    const ctx = () => ({ deployment: d.deployment, runbook: d.runbook, now: d.now });
    const first = Date.parse('2026-01-07T06:00:00Z');
    const withdrawn = renderAuthorization(ctx(), first);
    expect(withdrawn.text).toBe(
      '🖋️ *Authorization of 06:00:00 UTC withdrawn*: the security gate reopened at 06:25:00 UTC. What the gates hold back waits for their approval again.',
    );
    expect(withdrawn.tone).toBe('warning');
    d.apply({ type: 'gate.approve', gate: 'security', by: 'dan', onMessage: 'gate:security' }, 60_000);
    const again = renderAuthorization(ctx(), d.deployment.authorizedAt);
    expect(again.text).toContain('Deployment authorized* at 06:26:00 UTC');
    expect(again.text).toContain('• security: Dan at 06:26:00 UTC');
    expect(renderAuthorization(ctx(), first).text).toContain('withdrawn');
  });
});

describe("the thread's word on a gate rejected without a reason", () => {
  it('asks the rejecter for the reason until it is given, then says it', () => {
    const d = new Driver(testRunbook()).apply({
      type: 'checklist.result',
      item: 'auto',
      passed: true,
      detail: '',
    });
    d.apply({ type: 'checklist.tick', item: 'tick-me', by: 'ben', onMessage: 'item:tick-me' });
    d.apply({ type: 'gate.reject', gate: 'security', by: 'dan' });
    const ctx = () => ({ deployment: d.deployment, runbook: d.runbook, now: d.now });
    expect(renderRejection(ctx(), 'security').text).toBe(
      "@{dan} rejected the security gate. Please give the reason: reply in this thread, or press *Give the reason* on the gate's message.",
    );
    d.apply({ type: 'gate.reason', gate: 'security', by: 'dan', reason: 'CVE open' });
    const said = renderRejection(ctx(), 'security').text;
    expect(said).toContain('@{dan} rejected the security gate and gave the reason: ');
    expect(said).toContain('CVE open');
    expect(said).not.toContain('Please give the reason');
  });
});
