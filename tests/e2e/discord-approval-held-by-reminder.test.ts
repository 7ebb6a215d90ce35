/**
 * On Discord as on Slack (slack-approval-held-by-reminder.test.ts): an approver's ✅ on the gate's message and on
 * one of its reminders hold their one approval, so taking one of them off leaves it, and the last one withdraws it.
 */
import { beforeAll, expect, it } from 'vitest';
import type { DiscordHarness } from '../helpers/discord-harness.ts';
import { useDiscordSuite } from '../helpers/discord-runbook-suite.ts';
import { ALICE, BOB, CAROL, dmsTo } from '../helpers/discord-suite.ts';

const RUNBOOK = `version: 1
service: held
timezone: UTC
environments: { production: { default: true } }
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  ann: { name: Ann, discord: "${ALICE}" }
  bob: { name: Bob, discord: "${BOB}" }
  cat: { name: Cat, discord: "${CAROL}" }
permissions: { deploy: [ann], rollback: [ann] }
gates:
  go: { title: Go, approvers: [bob, cat], required: 2, remind_every: 1s, expires: 1h }
steps:
  - { id: build, title: Build, needs: [go], run: "true" }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`;

const suite = useDiscordSuite(RUNBOOK);
let h: DiscordHarness;
beforeAll(() => {
  h = suite.h;
});

const messageOf = (key: string) =>
  h.waitFor(`the ${key} message`, async () => {
    const ref = await h.preflight().chat.index.find('held-1', key);
    return ref && h.fake.world.messages.find((m) => m.id === ref.id);
  });
const handled = () =>
  h.waitFor('the inbox to be empty', async () => (await h.preflight().chat.inbox.pending()) === 0);
const approvers = async () =>
  (await h.preflight().engine.store.get('held-1'))?.gates[0]?.approvals.map((a) => a.by);

it('keeps an approval while its approver’s ✅ is on the gate’s message or a reminder, and withdraws it with the last', async () => {
  h.command(ALICE, 'deploy', 'start', { service: 'held', version: 'v1.0.0' });
  const gate = await messageOf('gate:go');
  const reminder = await messageOf('note:remind:go:1');

  h.react(BOB, gate, '✅');
  await h.waitFor('Bob’s approval', async () => (await approvers())?.length === 1);
  h.react(BOB, reminder, '✅');
  await handled();
  h.react(BOB, gate, '✅', false);
  await handled();
  expect(await approvers()).toEqual(['bob']);
  expect(dmsTo(h, BOB)).toEqual([]);

  h.react(BOB, reminder, '✅', false);
  await h.waitFor('Bob’s withdrawal', async () => (await approvers())?.length === 0);
}, 60_000);
