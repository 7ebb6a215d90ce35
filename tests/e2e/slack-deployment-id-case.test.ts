/**
 * Slack end to end: a deployment id typed in another case (`SHOP-1`, as the service may be typed `SHOP`) is that
 * deployment, on every command that names one. Above all, `/deploy abort SHOP-1` is never read as an abort of the
 * one active deployment with "SHOP-1" as its reason.
 */
import { describe, expect, it } from 'vitest';
import { ANN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const suite = useSlackSuite(oneGateRunbook('shop'));

const answerTo = async (tag: string) => {
  const { h } = suite;
  const answer = await h.waitFor('the answer', () => h.fake.responses.find((r) => r.tag === tag));
  return String(answer.body.text);
};

describe('a deployment id typed in upper case', () => {
  it('names that deployment: an abort of a finished one leaves the active one running', async () => {
    const { h } = suite;
    await h.command(ANN, '/deploy start shop v1.0.0');
    await h.waitForState('shop-1', ['awaiting_gates']);
    await h.command(ANN, '/deploy abort shop-1');
    await h.waitForState('shop-1', ['aborted']);
    await h.command(ANN, '/deploy start shop v1.0.1');
    await h.waitForState('shop-2', ['awaiting_gates']);

    const abort = await h.command(ANN, '/deploy abort SHOP-1');

    expect(await answerTo(abort.tag)).toMatch(/^⚠️ deployment shop-1 is aborted, so it cannot take that now/);
    expect((await h.preflight.engine.store.get('shop-2'))?.state).toBe('awaiting_gates');

    const status = await h.command(ANN, '/deploy status Shop-2');
    expect(await answerTo(status.tag)).toContain('shop-2');
    expect(await answerTo(status.tag)).not.toMatch(/^⚠️/);

    const opened = await h.command(ANN, '/incident open SHOP-2 checkout errors');
    expect(await answerTo(opened.tag)).toMatch(/^🚨 INC-1 opened in /);
    expect((await h.preflight.engine.incidents.get('INC-1'))?.deploymentId).toBe('shop-2');
  });
});
