/**
 * Slack end to end: `/deploy abort --emergency` on a runbook with no `emergency.stop`. The deployment is aborted
 * (its running steps killed), and the answer, the outcome and the audit log say that no emergency stop command was
 * run, since there is none: nobody is told a stop ran that never did.
 */
import { expect, it } from 'vitest';
import { plainLiterals } from '../../src/core/index.ts';
import { ANN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const suite = useSlackSuite(oneGateRunbook('shop'));

it('aborts, and says the runbook has no emergency stop command to run', async () => {
  const { h } = suite;
  await h.command(ANN, '/deploy start shop v1.0.0');
  await h.waitForState('shop-1', ['awaiting_gates']);

  const { tag } = await h.command(ANN, '/deploy abort --emergency db on fire');
  const answer = await h.waitFor('the answer', () => h.fake.responses.find((r) => r.tag === tag));
  expect(plainLiterals(String(answer.body.text))).toBe(
    'shop-1: deployment aborted, running steps killed; no emergency stop was run: the shop runbook has none (emergency.stop).',
  );
  await h.waitForState('shop-1', ['aborted']);
  const audit = await h.preflight.engine.store.audit('shop-1');
  expect(audit.find((r) => r.type === 'deployment.aborted')?.detail).toMatchObject({
    outcome: 'aborted by Ann: db on fire',
  });
  expect(audit.map((r) => r.type)).not.toContain('emergency.stop');
});
