/**
 * A prompt someone deleted in chat (a gate's, a checklist item's, a decision's, a rollback's, a monitoring task's
 * message) is posted again in its thread while it still asks for an answer, as it stands now, with its buttons;
 * the message index names the new message for its key as it records the post, so reactions and presses there
 * count (one made before Preflight has heard the platform's answer waits for it: button-origin.ts). Found when an
 * edit of it finds it gone (the platform's deletion event queues that edit: bot/message-deleted.ts), so a deletion
 * nobody heard is mended by the next edit. Both posts are keyed by the deleted message (post-once.ts): two
 * deliveries, a retry after a crash, or two processes post them once.
 */
import { type ChatMessage, describeMessageKey, MessageGoneError, type MessageRef } from '../../core/index.ts';
import { type PostOnce, postOnce } from './post-once.ts';

export interface EditOrPostAgain extends Omit<PostOnce, 'thread' | 'now' | 'as'> {
  /** Whether the message still asks someone to act (promptOpen): only then is it posted again. */
  readonly open: boolean;
  /** The thread's first message, for the post again (posted first where it never was). */
  readonly root: () => Promise<MessageRef>;
}

/** Edits the message of `key`; one found deleted is posted again under the thread's first message while open. */
export async function editOrPostAgain(p: EditOrPostAgain): Promise<void> {
  const ref = await p.index.find(p.owner, p.key);
  if (!ref) return;
  try {
    await p.port.update(ref, p.message);
  } catch (error) {
    // Closed meanwhile (or never a prompt): given up as any edit of a deleted message (MessageGoneError is a drop).
    if (!(error instanceof MessageGoneError) || !p.open) throw error;
    await postAgain(p, ref);
  }
}

/** Says in the thread that the message was deleted, posts it again below, and makes the new one the key's. */
async function postAgain(p: EditOrPostAgain, gone: MessageRef): Promise<MessageRef> {
  const thread = await p.root();
  const post = (key: string, message: ChatMessage, as?: string) =>
    postOnce({
      port: p.port,
      index: p.index,
      owner: p.owner,
      key,
      ...(as !== undefined && { as }),
      channel: p.channel,
      message,
      thread,
      now: Date.now(),
    });
  const what = describeMessageKey(p.key);
  const act = p.message.buttons?.length ? 'React to it or use its buttons there.' : 'React to it there.';
  await post(`deleted:${p.key}:${gone.id}`, {
    text: `↩️ A message of ${p.owner} that still waits for an answer (${what}) was deleted: it is posted again below, as it stands now. ${act}`,
    tone: 'warning',
  });
  // Saved as the key's message in the same write that records the post: its buttons count from then on.
  return await post(`${p.key}:again:${gone.id}`, p.message, p.key);
}
