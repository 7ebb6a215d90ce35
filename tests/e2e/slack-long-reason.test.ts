/**
 * Slack end to end: a reason for an abort, what happened in an incident, and the note that resolves one are free
 * text, held to their length in characters. Typed as many short words (an error message pasted in, a sentence or
 * two), they are taken: the deployment stops, the incident opens and is resolved, each with the whole text.
 */
import { describe, expect, it } from 'vitest';
import { INCIDENT_CHANNEL } from '../helpers/fake-slack-api.ts';
import { ANN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const suite = useSlackSuite(oneGateRunbook('shop'));

/** `count` short words, well under the 500 characters free text may have. */
const sentence = (count: number) => Array.from({ length: count }, (_, i) => `w${i}`).join(' ');

const answerTo = async (tag: string) => {
  const { h } = suite;
  const answer = await h.waitFor('the answer', () => h.fake.responses.find((r) => r.tag === tag));
  return String(answer.body.text);
};

describe('free text typed as many short words', () => {
  it('aborts with a reason of 70 words, and says so', async () => {
    const { h } = suite;
    await h.command(ANN, '/deploy start shop v1.0.0');
    await h.waitForState('shop-1', ['awaiting_gates']);
    const reason = sentence(70);

    const typed = await h.command(ANN, `/deploy abort shop-1 ${reason}`);

    expect(await answerTo(typed.tag)).toBe('shop-1: deployment aborted.');
    const d = await h.waitForState('shop-1', ['aborted']);
    expect(d.state).toBe('aborted');
    const aborted = (await h.preflight.engine.store.audit('shop-1')).find(
      (r) => r.type === 'deployment.aborted',
    );
    expect(JSON.stringify(aborted?.detail)).toContain(reason);
  });

  it('opens an incident whose description is 70 words, and resolves it with a note of 70 words', async () => {
    const { h } = suite;
    const what = sentence(70);

    const opened = await h.command(ANN, `/incident open shop ${what}`);

    expect(await answerTo(opened.tag)).toMatch(/^🚨 INC-1 opened in /);
    const incident = await h.waitFor('the incident message', () =>
      h.fake.messages.find((m) => m.channel === INCIDENT_CHANNEL && !m.threadTs && m.text.includes('INC-1')),
    );
    expect(incident.text).toContain(what);

    const resolved = await h.command(ANN, `/incident resolve INC-1 ${sentence(70)}`);
    await answerTo(resolved.tag);
    expect((await h.preflight.engine.incidents.get('INC-1'))?.state).toBe('resolved');
  });

  it('refuses a description over 500 characters by its length, whatever its words', async () => {
    const { h } = suite;
    const typed = await h.command(ANN, `/incident open shop ${sentence(300)}`);
    expect(await answerTo(typed.tag)).toMatch(/^⚠️ what happened is 1,389 characters; at most 500\. Usage: /);
  });
});
