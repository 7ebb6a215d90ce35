/** What became of an entry of Preflight's Discord inbox (an interaction, a reaction or a deletion it recorded). */
import { Queue } from 'bullmq';
import { createKeySpace, type InboxEntry } from '../../src/core/index.ts';
import { inboxQueueName } from '../../src/jobs/chat-inbox-queue.ts';
import type { DiscordHarness } from './discord-harness.ts';

/**
 * Waits until the bot has handled the inbox entry `id` (`interaction:<id>`, `deleted:<channel>:<message>`) once:
 * done with it, or, with `orHeld`, put back to be handled again later.
 */
export async function entryHandled(h: DiscordHarness, id: string, orHeld = false): Promise<void> {
  const queue = new Queue<InboxEntry>(inboxQueueName('discord'), {
    connection: h.preflight().connect(),
    prefix: createKeySpace(h.preflight().prefix).queuePrefix,
  });
  try {
    const states = orHeld ? (['completed', 'delayed'] as const) : (['completed'] as const);
    await h.waitFor(`the inbox entry ${id} handled`, async () =>
      (await queue.getJobs([...states])).some((j) => j.data.id === id),
    );
  } finally {
    await queue.close();
  }
}
