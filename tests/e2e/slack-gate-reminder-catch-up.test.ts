/**
 * A ✅ made on a gate's reminder while the bot was down (longer than Slack redelivers events) is read back when it
 * starts again, as one on the gate's message is: the approval counts and the deployment goes on. So it does on the
 * next deployment of the service, whose reminders read as the first one's did, and when Slack refused its first
 * reminders.
 */
import { expect, it } from 'vitest';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const ANN = 'U0ANN0001';
const BEN = 'U0BEN0001';

const suite = useSlackSuite(`version: 1
service: nudge
timezone: UTC
environments: { production: { default: true } }
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  ann: { name: Ann, slack: ${ANN} }
  ben: { name: Ben, slack: ${BEN} }
groups: { ops: [ann], security: [ben] }
permissions: { deploy: [ops], rollback: [ops] }
gates:
  sec: { title: Security, approvers: [security], remind_every: 1s, expires: 1h }
steps:
  - { id: build, title: Build, needs: [sec], run: "true" }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`);

it('a ✅ on a reminder made while the bot was down approves the gate once it starts again', async () => {
  const { h } = suite;
  expect((await h.command(ANN, '/deploy start nudge v1.0.0')).status).toBe(200);
  const reminder = await h.waitFor(
    'a reminder',
    () => h.fake.messages.find((m) => m.text.startsWith('Reminder: the Security gate')),
    20_000,
  );
  await h.restart(() => {
    reminder.reactedBy.white_check_mark = [BEN];
  });
  const d = await h.waitForState('nudge-1', ['succeeded'], 20_000);
  expect(d.gates.map((g) => [g.id, g.status, g.approvals.map((a) => a.by)])).toEqual([
    ['sec', 'approved', ['ben']],
  ]);
});

it('so does one on the next deployment’s reminder, and a ✅ made after the start counts too', async () => {
  const { h } = suite;
  expect((await h.command(ANN, '/deploy start nudge v1.1.0')).status).toBe(200);
  const reminder = await h.messageOf('nudge-2', 'note:remind:sec:1');
  await h.restart(() => {
    reminder.reactedBy.white_check_mark = [BEN];
  });
  const d = await h.waitForState('nudge-2', ['succeeded'], 20_000);
  expect(d.gates.map((g) => [g.id, g.status, g.approvals.map((a) => a.by)])).toEqual([
    ['sec', 'approved', ['ben']],
  ]);

  expect((await h.command(ANN, '/deploy start nudge v1.2.0')).status).toBe(200);
  const gate = await h.messageOf('nudge-3', 'gate:sec');
  await h.restart();
  expect((await h.react(BEN, gate, 'white_check_mark')).status).toBe(200);
  expect(
    (await h.waitForState('nudge-3', ['succeeded'], 20_000)).gates[0]?.approvals.map((a) => a.by),
  ).toEqual(['ben']);
});

it('a ✅ made while the bot was down on a reminder after ones Slack refused is read back too', async () => {
  const { h } = suite;
  expect((await h.command(ANN, '/deploy start nudge v1.3.0')).status).toBe(200);
  const gate = await h.messageOf('nudge-4', 'gate:sec');
  // The gate's first reminders are refused for good (a layout Slack rejects): they never reach the channel.
  h.fake.refuse(gate.channel, 'invalid_blocks');
  await h.waitFor(
    'the first reminder refused',
    () =>
      h.fake.calls.find(
        (c) =>
          c.error === 'invalid_blocks' && String(c.params.text).startsWith('Reminder: the Security gate'),
      ),
    20_000,
  );
  h.fake.refuse(gate.channel, undefined);
  const reached = await h.waitFor(
    'a reminder that reached the channel',
    () => h.fake.messages.find((m) => m.threadTs === gate.threadTs && m.text.startsWith('Reminder:')),
    20_000,
  );
  await h.restart(() => {
    reached.reactedBy.white_check_mark = [BEN];
  });
  const d = await h.waitForState('nudge-4', ['succeeded'], 20_000);
  expect(d.gates.map((g) => [g.id, g.status, g.approvals.map((a) => a.by)])).toEqual([
    ['sec', 'approved', ['ben']],
  ]);
});
