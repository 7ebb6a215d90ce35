/**
 * A monitoring task ticked with ✅, whose ✅ is taken off while the bot is down: once it starts again the read-back
 * finds the ✅ gone and unticks the task, as taking it off live does while the deployment is watched (its message
 * asks for it again and the reminder counts it open); another task's ✅ still there keeps its tick.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';
import { ANN, BEN, watchedRunbook } from '../helpers/watched-runbook.ts';

const RUNBOOK = watchedRunbook(
  '[{ title: Read the logs, owner: [ann] }, { title: Check the dashboards, owner: [ben] }]',
);

const suite = useSlackSuite(RUNBOOK);
let h: SlackHarness;
beforeAll(() => {
  h = suite.h;
});

describe('a monitoring task whose ✅ is taken off while the bot was down', () => {
  it('is unticked once the bot reads its reactions back, and the other task stays ticked', async () => {
    expect((await h.command(ANN, '/deploy start watched v1.0.0')).status).toBe(200);
    await h.waitForState('watched-1', ['monitoring']);
    const logs = await h.messageOf('watched-1', 'task:0:0');
    const dashboards = await h.messageOf('watched-1', 'task:0:1');
    // Slack keeps each ✅ on its message (what a read-back finds), and tells the bot of it.
    logs.reactedBy.white_check_mark = [ANN];
    expect((await h.react(ANN, logs, 'white_check_mark')).status).toBe(200);
    dashboards.reactedBy.white_check_mark = [BEN];
    expect((await h.react(BEN, dashboards, 'white_check_mark')).status).toBe(200);
    const done = async () =>
      ((await h.preflight.engine.store.get('watched-1'))?.tasksDone ?? []).map((t) => [t.index, t.by]);
    await h.waitFor('both tasks ticked', async () => ((await done()).length === 2 ? true : undefined));

    // Ann takes her ✅ off while the bot is down; Ben's stays.
    await h.restart(() => {
      logs.reactedBy.white_check_mark = [];
    });
    await h.waitFor(
      'the logs task unticked',
      async () => ((await done()).length === 1 ? true : undefined),
      20_000,
    );
    expect(await done()).toEqual([[1, 'ben']]);
    const audit = await h.preflight.engine.store.audit('watched-1');
    expect(audit.filter((r) => r.type === 'task.unticked').map((r) => [r.actor, r.detail])).toEqual([
      ['ann', { window: 0, task: 'Read the logs' }],
    ]);
    await h.waitFor('the task message asks for it again', () =>
      h.fake.messages.find((m) => m.ts === logs.ts && m.text.includes('react ✅ here when it is done')),
    );
  }, 90_000);
});
