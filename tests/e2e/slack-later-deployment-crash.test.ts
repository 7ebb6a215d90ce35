/**
 * The next deployments of a service after one succeeded, with the bot SIGKILLed at their gate: a ✅ made on the
 * gate's message while it was down is read back when it starts again, a ✅ made after the start counts, and so it
 * does when the bot was killed as Slack took the gate's message (before the bot knew it was posted), or when the
 * deployment is in another channel than the first.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { FakeMessage } from '../helpers/fake-slack-api.ts';
import { eventCallback, postToSlackEndpoint, reactionEvent } from '../helpers/signed-slack.ts';
import { waitFor } from '../helpers/slack-harness.ts';
import type { RunningBot } from '../helpers/spawn-start.ts';
import { SLOW_START, useSpawnedSlackWorld, useWorldDeployments } from '../helpers/spawned-slack-world.ts';
import { useWorldMessages } from '../helpers/world-messages.ts';

const ANN = 'U0ANN0001';
const BEN = 'U0BEN0001';

const world = useSpawnedSlackWorld(`version: 1
service: svc
timezone: UTC
environments: { production: { default: true } }
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  ann: { name: Ann, slack: ${ANN} }
  ben: { name: Ben, slack: ${BEN} }
groups: { ops: [ann] }
permissions: { deploy: [ops], rollback: [ops] }
gates:
  go: { title: Go, approvers: [ben], expires: 1h }
steps:
  - { id: build, title: Build, needs: [go], run: "true" }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`);
const deployments = useWorldDeployments(world);
const messageOf = useWorldMessages(world);
let bot: RunningBot | undefined;

const running = () => {
  if (!bot) throw new Error('no bot is running');
  return bot;
};
const deploy = async (version: string) =>
  expect((await world.command(running(), ANN, `/deploy start svc ${version}`, version)).status).toBe(200);
const approveLive = async (message: FakeMessage) => {
  const event = reactionEvent({
    user: BEN,
    channel: message.channel,
    ts: message.ts,
    emoji: 'white_check_mark',
  });
  const request = eventCallback(event, `Ev${message.ts.replace('.', '')}`);
  expect((await postToSlackEndpoint(`${running().base}/slack/events`, request)).status).toBe(200);
};
/** Ben's ✅ as Slack keeps it, made while no bot hears it. */
const approveWhileDown = (message: FakeMessage) => {
  message.reactedBy.white_check_mark = [BEN];
};
const restart = async (whileDown: () => void | Promise<void> = () => {}) => {
  await running().kill();
  await whileDown();
  bot = await world.start(SLOW_START);
};
const approvedBy = async (id: string) => {
  const d = await waitFor(
    `${id} finished`,
    async () => {
      const found = await deployments().get(id);
      return found && ['succeeded', 'failed', 'aborted'].includes(found.state) ? found : undefined;
    },
    60_000,
  );
  return [d.state, d.gates.map((g) => [g.id, g.status, g.approvals.map((a) => a.by)])];
};
const APPROVED = ['succeeded', [['go', 'approved', ['ben']]]];

it('after one deployment succeeded, a ✅ on the next one’s gate made while the bot was down counts', async () => {
  bot = await world.start(SLOW_START);
  await deploy('v1.0.0');
  await approveLive(await messageOf('svc-1', 'gate:go'));
  expect(await approvedBy('svc-1')).toEqual(APPROVED);

  await deploy('v1.1.0');
  const gate = await messageOf('svc-2', 'gate:go');
  await restart(() => approveWhileDown(gate));
  expect(await approvedBy('svc-2')).toEqual(APPROVED);
}, 120_000);

it('a ✅ on the next one’s gate made after the restart counts', async () => {
  await deploy('v1.2.0');
  const gate = await messageOf('svc-3', 'gate:go');
  await restart();
  await approveLive(gate);
  expect(await approvedBy('svc-3')).toEqual(APPROVED);
}, 120_000);

it('killed as Slack took the gate’s message, a ✅ made on it while down counts, and it is posted once', async () => {
  const killing = running();
  let killed: Promise<void> | undefined;
  let posted: { channel: string; ts: string } | undefined;
  world.slack.beforeAnswer(({ method, params, result }) => {
    if (killed || method !== 'chat.postMessage' || !String(params.text).includes('*Go* gate'))
      return undefined;
    posted = { channel: String(result.channel), ts: String(result.ts) };
    killed = killing.kill();
    return undefined;
  });
  await deploy('v1.3.0');
  await waitFor('the bot killed as its gate message went out', () => (killed ? true : undefined), 30_000);
  await killed;
  world.slack.beforeAnswer(undefined);
  const gate = posted && world.slack.message(posted.channel, posted.ts);
  if (!gate) throw new Error('the gate message was not posted');
  approveWhileDown(gate);
  bot = await world.start(SLOW_START);
  expect(await approvedBy('svc-4')).toEqual(APPROVED);
  expect(await messageOf('svc-4', 'gate:go')).toBe(gate);
  const gates = world.slack.messages.filter(
    (m) => m.threadTs === gate.threadTs && m.text.includes('*Go* gate'),
  );
  expect(gates).toEqual([gate]);
}, 120_000);

it('in another channel than the first deployment, a ✅ made while the bot was down counts', async () => {
  await running().kill();
  const runbook = join(world.dir, 'runbook.yaml');
  await writeFile(runbook, (await readFile(runbook, 'utf8')).replace('"#deployments"', '"#general"'));
  bot = await world.start(SLOW_START);
  await deploy('v1.4.0');
  const gate = await messageOf('svc-5', 'gate:go');
  expect(gate.channel).toBe('C0GENERAL1');
  await restart(() => approveWhileDown(gate));
  expect(await approvedBy('svc-5')).toEqual(APPROVED);
}, 120_000);
