/**
 * A pause or resume typed in another channel (naming the deployment) is answered there, and the deployment's own
 * thread says who paused it and who resumed it: the people following it are not left with a "(paused)" nobody
 * explains.
 */
import { describe, expect, it } from 'vitest';
import { DEPLOY_CHANNEL } from '../helpers/fake-slack-api.ts';
import { ANN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import { answerIn } from '../helpers/slack-answer.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const RANDOM = 'C0RANDOM01';
const suite = useSlackSuite(oneGateRunbook('hold'));

const typedIn = (channel: string, line: string) => answerIn(suite.h, ANN, channel, line);

describe('/deploy pause and resume typed in another channel', () => {
  it('are said in the deployment’s thread, naming who', async () => {
    const { h } = suite;
    await typedIn(DEPLOY_CHANNEL, '/deploy start hold v1.0.0');
    const root = await h.waitFor('the status message', () =>
      h.fake.messages.find((m) => m.channel === DEPLOY_CHANNEL && !m.threadTs),
    );
    await h.waitForState('hold-1', ['awaiting_gates']);
    const inThread = (text: string) => () =>
      h.fake.messages.find((m) => m.threadTs === root.ts && m.text.includes(text));

    expect(await typedIn(RANDOM, '/deploy pause hold-1')).toMatchObject({ response_type: 'in_channel' });
    expect((await h.waitFor('the pause in the thread', inThread('paused'))).text).toBe(
      `⏸️ <@${ANN}> paused hold-1: no new step starts until /deploy resume.`,
    );
    await typedIn(RANDOM, '/deploy resume hold-1');
    expect((await h.waitFor('the resume in the thread', inThread('resumed'))).text).toBe(
      `▶️ <@${ANN}> resumed hold-1.`,
    );
  });
});
