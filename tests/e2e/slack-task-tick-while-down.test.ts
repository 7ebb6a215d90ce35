/**
 * A monitoring task ticked with ✅ while the bot was down: Slack keeps the ✅ on the task's message, and once the bot
 * starts again the read-back finds it and ticks the task (its reminder then leaves it out), as a ✅ made live does.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';
import { ANN, watchedRunbook } from '../helpers/watched-runbook.ts';

const RUNBOOK = watchedRunbook(
  '[{ title: Read the logs, owner: [ann] }, { title: Check the dashboards, owner: [ben] }]',
);

const suite = useSlackSuite(RUNBOOK);
let h: SlackHarness;
beforeAll(() => {
  h = suite.h;
});

describe('a monitoring task ticked with ✅ while the bot was down', () => {
  it('is ticked once the bot reads its reactions back, and the other task stays open', async () => {
    expect((await h.command(ANN, '/deploy start watched v1.0.0')).status).toBe(200);
    await h.waitForState('watched-1', ['monitoring']);
    const logs = await h.messageOf('watched-1', 'task:0:0');
    await h.messageOf('watched-1', 'task:0:1');

    await h.restart(() => {
      logs.reactedBy.white_check_mark = [ANN];
    });
    const done = await h.waitFor(
      'the task ticked',
      async () => (await h.preflight.engine.store.get('watched-1'))?.tasksDone,
      20_000,
    );
    expect(done.map((t) => [t.window, t.index, t.by])).toEqual([[0, 0, 'ann']]);
    const ticks = (await h.preflight.engine.store.audit('watched-1')).filter((r) => r.type === 'task.ticked');
    expect(ticks.map((r) => [r.actor, r.detail])).toEqual([['ann', { window: 0, task: 'Read the logs' }]]);
    await h.waitFor('the task message shows it done', () =>
      h.fake.messages.find((m) => m.ts === logs.ts && m.text.includes('done by <@U0ANN0001>')),
    );
  }, 90_000);
});
