/**
 * Slack's channel links (`<#C…>`, from the runbook's channel names) and thread links: the permalink of a thread's
 * first message (chat.getPermalink), kept once fetched since it never changes. A lookup that fails leaves the
 * link out; the message still goes.
 */
import type { ChatPort } from '../../core/index.ts';
import { channelMention } from '../channel-mention.ts';
import type { ChannelDirectory } from './slack-channels.ts';
import type { SlackApi, SlackLog } from './slack-types.ts';

const KEEP = 5_000;

/** Creates the link methods of the Slack chat port. */
export function createSlackLinks(deps: {
  api: SlackApi;
  log: SlackLog;
  channels: ChannelDirectory;
}): Required<Pick<ChatPort, 'linkChannel' | 'linkThread'>> {
  const { api, log, channels } = deps;
  const permalinks = new Map<string, string>();
  return {
    linkChannel: (channel) => channelMention((name) => channels.resolve(name), channel),
    async linkThread(root, label) {
      const ts = root.thread ?? root.id;
      const key = `${root.channel}/${ts}`;
      let url = permalinks.get(key);
      if (url === undefined) {
        try {
          const answer = (await api.apiCall('chat.getPermalink', {
            channel: root.channel,
            message_ts: ts,
          })) as { permalink?: unknown };
          if (typeof answer.permalink !== 'string') return undefined;
          url = answer.permalink;
        } catch (error) {
          log.warn({ channel: root.channel, ts, err: (error as Error).message }, 'no permalink for a thread');
          return undefined;
        }
        permalinks.set(key, url);
        if (permalinks.size > KEEP) permalinks.delete(permalinks.keys().next().value ?? '');
      }
      return `[${label}](${url})`;
    },
  };
}
