/**
 * A gate that waits too long is reminded of in its thread, naming the people who can approve it and nobody else:
 * not the on-call people of the incident escalation ladder, however many reminders go by (real BullMQ timers, the
 * real Bolt receiver, the fake Slack Web API).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const ANN = 'U0ANN0001';
const BEN = 'U0BEN0001';
const CAT = 'U0CAT0001';
const DAN = 'U0DAN0001';

const RUNBOOK = `version: 1
service: nudge
timezone: UTC
environments: { production: { default: true } }
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  ann: { name: Ann, slack: ${ANN} }
  ben: { name: Ben, slack: ${BEN} }
  cat: { name: Cat, slack: ${CAT} }
  dan: { name: Dan, slack: ${DAN} }
groups: { ops: [ann, cat], security: [ben], oncall: [dan] }
permissions: { deploy: [ops], rollback: [ops] }
gates:
  sec: { title: Security, approvers: [security], remind_every: 1s, expires: 1h }
steps:
  - { id: build, title: Build, needs: [sec], run: "true" }
escalation:
  levels:
    - { id: L1, notify: [oncall], respond_within: 15m }
    - { id: L2, notify: [cat], respond_within: 15m }
`;

const suite = useSlackSuite(RUNBOOK);
let h: SlackHarness;
beforeAll(() => {
  h = suite.h;
});

const reminders = () => h.fake.messages.filter((m) => m.text.startsWith('Reminder: the Security gate'));

describe('a gate nobody approves', () => {
  it('is reminded of naming only its approvers, never the escalation ladder', async () => {
    expect((await h.command(ANN, '/deploy start nudge v1.0.0')).status).toBe(200);
    await h.waitFor('the gate message', () =>
      h.fake.messages.find((m) => m.text.includes('*Security* gate')),
    );
    // The third reminder is past both escalation levels' turns.
    await h.waitFor('three reminders', () => (reminders().length >= 3 ? true : undefined), 20_000);
    for (const reminder of reminders()) {
      expect(reminder.text).toMatch(
        /^Reminder: the Security gate has waited \d+s for <@U0BEN0001>\. React ✅ here or on the gate's message to approve\.$/,
      );
      for (const other of [ANN, CAT, DAN]) expect(reminder.text).not.toContain(other);
    }
    // Nobody outside the gate's approvers was told of it some other way either.
    const toOthers = h.fake.calls.filter(
      (c) =>
        (c.method === 'chat.postEphemeral' || c.method === 'chat.postMessage') &&
        [CAT, DAN].some((u) => c.params.user === u || c.params.channel === `D${u.slice(1)}`),
    );
    expect(toOthers).toEqual([]);
  }, 60_000);
});
