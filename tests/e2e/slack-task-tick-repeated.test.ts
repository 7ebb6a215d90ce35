/**
 * Slack end to end: a monitoring task ticked with its Done button is answered once, however often the tick comes
 * back: the inbox handing the handled click out again (its bot died before the inbox heard it was done), Done
 * pressed again, a ✅ on it (Slack delivering that reaction twice), a co-owner's ✅ on the ticked task.
 * The task counts one tick, audited once, and its message is edited, never posted again.
 */
import { Queue } from 'bullmq';
import { beforeAll, describe, expect, it } from 'vitest';
import { createKeySpace, type InboxEntry } from '../../src/core/index.ts';
import { inboxQueueName } from '../../src/jobs/chat-inbox-queue.ts';
import type { FakeMessage } from '../helpers/fake-slack-api.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';
import { ANN, BEN, watchedRunbook } from '../helpers/watched-runbook.ts';

const RUNBOOK = watchedRunbook('[{ title: Read the logs, owner: [ops] }]');
const TICKED = 'ticked "Read the logs" for Ann';

const suite = useSlackSuite(RUNBOOK);
let h: SlackHarness;
beforeAll(() => {
  h = suite.h;
});

/** Hands a handled request to the inbox again, as BullMQ does with an entry whose bot died holding it. */
async function handleAgain(which: (entry: InboxEntry) => boolean): Promise<void> {
  const queue = new Queue<InboxEntry>(inboxQueueName('slack'), {
    connection: h.preflight.connect(),
    prefix: createKeySpace(h.preflight.prefix).queuePrefix,
  });
  try {
    const job = await h.waitFor('the first handling to finish', async () =>
      (await queue.getJobs(['completed'])).find((j) => which(j.data)),
    );
    await job.retry('completed');
    await h.waitFor('the second handling', async () => (await job.isCompleted()) || undefined);
  } finally {
    await queue.close();
  }
}

const isClick = (entry: InboxEntry) => entry.event.type === 'button';
const isReaction = (id: string) => (entry: InboxEntry) => entry.id === id;

describe('a monitoring task ticked again', () => {
  it('is answered once, counts once and keeps its one message', async () => {
    expect((await h.command(ANN, '/deploy start watched v1.0.0')).status).toBe(200);
    await h.waitForState('watched-1', ['monitoring']);
    const task: FakeMessage = await h.waitFor('the task message', () =>
      h.fake.messages.find((m) => m.threadTs !== undefined && m.text.includes('Read the logs')),
    );

    // As Ann's Slack shows it before the tick: with its Done button.
    const shown = structuredClone(task);
    // Ann presses Done: she is told it is ticked.
    const click = await h.click(ANN, shown, 'task.tick');
    expect(click.status).toBe(200);
    const answersToClick = (tag: string) =>
      h.fake.responses.filter((r) => r.tag === tag).map((r) => String(r.body.text));
    await h.waitFor('the answer to Done', () => answersToClick(click.tag).length > 0);
    expect(answersToClick(click.tag)).toEqual([TICKED]);

    // The inbox hands her click out again (its bot died before it heard the click was done).
    await handleAgain(isClick);
    // She presses Done again (her Slack has not shown the edit yet), and reacts ✅ (Slack delivering that reaction twice, and the inbox handing it out
    // again); Ben, who may tick it too, reacts ✅.
    const again = await h.click(ANN, shown, 'task.tick');
    expect(again.status).toBe(200);
    for (const retryNum of [undefined, 1])
      expect(
        (
          await h.react(ANN, task, 'white_check_mark', {
            eventId: 'Ev0TASKTICK1',
            ...(retryNum !== undefined && { retryNum }),
          })
        ).status,
      ).toBe(200);
    await handleAgain(isReaction('Ev0TASKTICK1'));
    expect((await h.react(BEN, task, 'white_check_mark', { eventId: 'Ev0TASKTICK2' })).status).toBe(200);
    await handleAgain(isReaction('Ev0TASKTICK2'));

    // Ann was told once that it is ticked; nobody was told anything more about it.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(answersToClick(click.tag)).toEqual([TICKED]);
    // Her second press is told it was ticked before, not answered as if it ticked it (nor with a bare "Done.").
    expect(answersToClick(again.tag)).toEqual(['"Read the logs" is already ticked, by Ann']);
    const ephemeral = h.fake.calls.filter((c) => c.method === 'chat.postEphemeral');
    expect(ephemeral.map((c) => String(c.params.text))).toEqual([]);

    const d = await h.preflight.engine.store.get('watched-1');
    expect(d?.tasksDone?.map((t) => [t.window, t.index, t.by])).toEqual([[0, 0, 'ann']]);
    const ticks = (await h.preflight.engine.store.audit('watched-1')).filter((r) => r.type === 'task.ticked');
    expect(ticks.map((r) => r.actor)).toEqual(['ann']);
    const posts = h.fake.messages.filter((m) => m.threadTs !== undefined && m.text.includes('Read the logs'));
    expect(posts).toHaveLength(1);
    expect(posts[0]?.text).toContain('done by <@U0ANN0001>');
  }, 90_000);
});
