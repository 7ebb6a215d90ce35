/**
 * `preflight start` over Slack HTTP while Slack's Web API fails: /readyz stays ready (Slack still calls the bot,
 * which records what it hears) but says that its messages are failing, why, and that they wait, and stops saying so
 * once a send goes through.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEPLOY_CHANNEL } from '../helpers/fake-slack-api.ts';
import { ANN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import { postToSlackEndpoint, slashCommand } from '../helpers/signed-slack.ts';
import { waitFor } from '../helpers/slack-harness.ts';
import type { RunningBot } from '../helpers/spawn-start.ts';
import { useSpawnedSlackWorld } from '../helpers/spawned-slack-world.ts';

const world = useSpawnedSlackWorld(oneGateRunbook('svc'));
let bot: RunningBot;

beforeAll(async () => {
  bot = await world.start();
});

const readyz = async () => {
  const res = await fetch(`${bot.base}/readyz`);
  return {
    status: res.status,
    body: (await res.json()) as { status: string; checks: Record<string, string> },
  };
};

describe('/readyz while Slack answers 500 to every post', () => {
  it('stays ready, says the sends fail and wait, and clears once one goes through', async () => {
    world.slack.fail('chat.postMessage', { status: 500 }, 1_000);
    const started = await postToSlackEndpoint(
      `${bot.base}/slack/events`,
      slashCommand({
        user: ANN,
        command: '/deploy',
        text: 'start svc v1.0.0',
        channel: DEPLOY_CHANNEL,
        responseUrl: world.slack.responseUrl('start'),
        triggerId: 'trigger-readyz-sends',
      }),
    );
    expect(started.status).toBe(200);
    const failing = await waitFor('/readyz to tell the failing sends', async () => {
      const answer = await readyz();
      return answer.body.checks['slack-sends'] !== undefined && answer;
    });
    expect(failing.status).toBe(200);
    expect(failing.body.status).toBe('ready');
    expect(failing.body.checks['slack-sends']).toMatch(
      /^failing for \d+ s \((?:1 try|\d+ tries) in a row, last: Slack answered HTTP 500 to post to .+\): messages wait in order and go out once slack takes them$/,
    );
    world.slack.heal('chat.postMessage');
    await waitFor(
      'the status message to go out',
      () => world.slack.messages.find((m) => m.channel === DEPLOY_CHANNEL),
      60_000,
    );
    await waitFor(
      '/readyz to stop telling it',
      async () => (await readyz()).body.checks['slack-sends'] === undefined,
    );
  }, 90_000);
});
