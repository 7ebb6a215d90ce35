/**
 * A ✅ on a gate that Slack delivered and got its 200 for, with the bot killed straight after, before the gate
 * expires: the bot is down when the gate's expiry comes due. Started again, it counts the approval given in time
 * first, and the gate is approved, not expired.
 */
import { expect, it } from 'vitest';
import { DEPLOY_CHANNEL } from '../helpers/fake-slack-api.ts';
import { eventCallback, postToSlackEndpoint, reactionEvent } from '../helpers/signed-slack.ts';
import { waitFor } from '../helpers/slack-harness.ts';
import { SLOW_START, useSpawnedSlackWorld, useWorldDeployments } from '../helpers/spawned-slack-world.ts';
import { ANN, BEN, threePeopleRunbook } from '../helpers/three-people-runbook.ts';

const EXPIRES_MS = 15_000;

const world = useSpawnedSlackWorld(
  threePeopleRunbook(
    'svc',
    `groups: { ops: [ann, ben, cat] }
permissions: { deploy: [ops], rollback: [ops] }
gates:
  go: { title: Go, approvers: [ben], expires: ${EXPIRES_MS / 1000}s }
steps:
  - { id: ship, title: Ship, needs: [go], run: "true" }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`,
  ),
);

const deployments = useWorldDeployments(world);

it('an approval Slack was answered for just before the bot was killed counts, though the gate expired meanwhile', async () => {
  const first = await world.start(SLOW_START);
  expect((await world.command(first, ANN, '/deploy start svc v1.0.0', 'start')).status).toBe(200);
  const gate = await waitFor('the gate message', () =>
    world.slack.messages.find((m) => m.text.includes('*Go* gate')),
  );
  const d = await waitFor(
    'the deployment',
    async () => (await deployments().list({ service: 'svc', limit: 5 }))[0],
  );
  const requested = (await deployments().audit(d.id)).find((r) => r.type === 'gate.requested');
  if (!requested) throw new Error('the gate was not requested');
  const expires = Date.parse(requested.at) + EXPIRES_MS;

  gate.reactedBy.white_check_mark = [BEN];
  const event = reactionEvent({ user: BEN, channel: DEPLOY_CHANNEL, ts: gate.ts, emoji: 'white_check_mark' });
  const answer = await postToSlackEndpoint(`${first.base}/slack/events`, eventCallback(event, 'Ev0APPROVE1'));
  expect(answer.status).toBe(200);
  await first.kill();
  // The bot stays down until the gate is past its expiry.
  while (Date.now() < expires + 1_000) await new Promise((r) => setTimeout(r, 250));

  const bot = await world.start(SLOW_START);
  try {
    const ended = await waitFor(
      `${d.id} ended`,
      async () => {
        const now = await deployments().get(d.id);
        return now && ['succeeded', 'failed', 'aborted'].includes(now.state) ? now : undefined;
      },
      60_000,
    );
    expect(ended.gates.map((g) => [g.id, g.status])).toEqual([['go', 'approved']]);
    expect(ended.state).toBe('succeeded');
    const audit = (await deployments().audit(d.id)).map((r) => r.type);
    expect(audit).toContain('gate.approved');
    expect(audit).not.toContain('gate.expired');
  } finally {
    await bot.stop();
  }
}, 150_000);
