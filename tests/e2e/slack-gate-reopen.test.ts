/**
 * A gate reopened by a withdrawal waits for people again: its reminders start over (real BullMQ timers, whose job
 * ids must not collide with the first round's), and the thread's authorization record is redrawn as withdrawn.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';
import { ANN, BEN, CAT, threePeopleRunbook } from '../helpers/three-people-runbook.ts';

const RUNBOOK = threePeopleRunbook(
  'reopen',
  `groups: { ops: [ann, ben, cat] }
permissions: { deploy: [ops], rollback: [ops] }
gates:
  go: { title: Go, approvers: [ben, cat], remind_every: 3s, expires: 1h }
steps:
  - { id: build, title: Build, needs: [go], at: "+5m", run: "true" }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`,
);

const suite = useSlackSuite(RUNBOOK);
let h: SlackHarness;
beforeAll(() => {
  h = suite.h;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const reminders = () => h.fake.messages.filter((m) => m.text.startsWith('Reminder: the Go gate'));

describe('a gate reopened by a withdrawal', () => {
  it('is reminded of again, and its authorization is shown withdrawn', async () => {
    expect((await h.command(ANN, '/deploy start reopen v1.0.0')).status).toBe(200);
    const gate = await h.waitFor('the gate message', () =>
      h.fake.messages.find((m) => m.text.includes('*Go* gate')),
    );
    expect((await h.react(BEN, gate, 'white_check_mark')).status).toBe(200);
    await h.waitForState('reopen-1', ['scheduled']);
    const authorization = await h.waitFor('the authorization record', () =>
      h.fake.messages.find((m) => m.text.includes('Deployment authorized')),
    );
    // The first round's reminder comes due while the gate is approved: nobody is reminded.
    await sleep(4_000);
    expect(reminders()).toEqual([]);

    expect((await h.react(BEN, gate, 'white_check_mark', { added: false })).status).toBe(200);
    await h.waitForState('reopen-1', ['awaiting_gates']);
    await h.waitFor('the withdrawal note asking Cat', () =>
      h.fake.messages.find((m) =>
        m.text.includes(
          `withdrew their approval of the Go gate: it needs 1 more approval again before its steps run. <@${CAT}>`,
        ),
      ),
    );
    await h.waitFor('the authorization record redrawn', () =>
      authorization.text.includes('withdrawn*: the Go gate reopened at') ? authorization : undefined,
    );
    const reminder = await h.waitFor('a reminder of the reopened gate', () => reminders()[0], 10_000);
    expect(reminder.text).toMatch(
      /^Reminder: the Go gate has waited [3-9]s for <@U0BEN0001>, <@U0CAT0001>\./,
    );

    // Approved again: a new authorization record, and the reminders stop.
    expect((await h.react(CAT, gate, 'white_check_mark')).status).toBe(200);
    await h.waitForState('reopen-1', ['scheduled']);
    const second = await h.waitFor('a second authorization record', () =>
      h.fake.messages.find((m) => m.ts !== authorization.ts && m.text.includes('Deployment authorized')),
    );
    expect(second.text).toContain('Go: Cat at');
    expect(authorization.text).toContain('withdrawn');
    const count = reminders().length;
    await sleep(4_000);
    expect(reminders()).toHaveLength(count);
  });
});
