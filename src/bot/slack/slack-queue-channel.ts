/**
 * The name the send queue knows a Slack channel by. Deployment and incident posts are queued under the runbook's
 * name for their channel (`slack:#deployments`), and the queue paces each name on its own; what Preflight posts in
 * a channel it knows by id (a late answer in the channel a command came from) is queued under that same name, so
 * the channel's posts keep Slack's pace together.
 */
import { ChatSendError } from '../../core/index.ts';
import type { ChannelDirectory } from './slack-channels.ts';

/** Creates the lookup: a channel id → the first runbook channel name that resolves to it, or undefined. */
export function createQueueChannelOf(deps: {
  readonly channels: Pick<ChannelDirectory, 'resolve'>;
  /** The channel names of the runbooks, as they are written there. */
  readonly names: () => readonly string[];
}): (channelId: string) => Promise<string | undefined> {
  return async (channelId) => {
    for (const name of deps.names()) {
      const id = await deps.channels.resolve(name).catch((error: unknown) => {
        // A runbook channel Slack does not have is not this one; Slack failing now is thrown (the inbox retries).
        if (error instanceof ChatSendError && error.kind === 'refused') return undefined;
        throw error;
      });
      if (id === channelId) return name;
    }
    return undefined;
  };
}
