/**
 * A watched deployment rolled back while its monitoring tasks wait: their messages stop asking the owners to react,
 * and say why (the deployment is rolled back); a task already done keeps saying who did it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { answerText } from '../helpers/slack-answer.ts';
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

describe('monitoring tasks of a deployment rolled back', () => {
  it('no longer ask anyone to tick them', async () => {
    expect((await h.command(ANN, '/deploy start watched v1.0.0')).status).toBe(200);
    await h.waitForState('watched-1', ['monitoring']);
    const logs = await h.messageOf('watched-1', 'task:0:0');
    const dashboards = await h.messageOf('watched-1', 'task:0:1');
    expect((await h.react(BEN, dashboards, 'white_check_mark')).status).toBe(200);
    await h.waitFor('the dashboards task done', () =>
      h.fake.messages.find((m) => m.ts === dashboards.ts && m.text.includes('done by <@U0BEN0001>')),
    );

    expect(await answerText(h, BEN, '/rollback watched-1')).toContain('rolling back');
    await h.waitForState('watched-1', ['rolled_back']);
    const open = await h.waitFor('the open task edited', () =>
      h.fake.messages.find((m) => m.ts === logs.ts && m.text.includes('no longer needed')),
    );
    expect(open.text).toContain('Read the logs — no longer needed, the deployment is ');
    expect(open.text).not.toContain('react ✅');
    expect(JSON.stringify(open.blocks ?? [])).not.toContain('task.tick');
    const done = h.fake.messages.find((m) => m.ts === dashboards.ts);
    expect(done?.text).toContain('done by <@U0BEN0001>');
  }, 90_000);
});
