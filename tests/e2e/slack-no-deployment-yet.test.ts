/**
 * Slack end to end: on a Preflight that has run no deployment yet, a command naming one that does not exist (a
 * word that is no service's id) says so and what to do, instead of a bare "there is no deployment".
 */
import { expect, it } from 'vitest';
import { ANN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import { answerText } from '../helpers/slack-answer.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const suite = useSlackSuite(oneGateRunbook('shop'));

it('says no deployment was started yet, and how to start one', async () => {
  const { h } = suite;
  for (const line of ['/rollback nosuch', '/deploy status nosuch-9'])
    expect(await answerText(h, ANN, line)).toMatch(
      /^⚠️ there is no deployment "nosuch(-9)?"; none has been started yet: \/deploy start &lt;service&gt; &lt;version&gt; starts one$/,
    );
});
