/**
 * Finds Preflight's own posts by delivery id, for a send whose outcome is unknown. Every post carries
 * `metadata: { event_type: 'preflight_delivery', event_payload: { delivery } }`; conversations.replies (a
 * thread) or conversations.history (top level) with include_all_metadata returns it. Copies beyond the first
 * (a doubled post) are deleted, so the thread keeps one.
 */
import type { DeliverySearch, MessageRef } from '../../core/index.ts';
import type { ChannelDirectory } from './slack-channels.ts';
import { toChatSendError } from './slack-errors.ts';
import type { SlackApi, SlackLog } from './slack-types.ts';

export const DELIVERY_EVENT = 'preflight_delivery';
const PAGE = 200;
const MAX_PAGES = 5;
/** Clocks of the processes and Slack's disagree a little: look a bit further back. */
const SKEW_MS = 30_000;

/** The metadata a post carries. */
export function deliveryMetadata(deliveryId: string) {
  return { event_type: DELIVERY_EVENT, event_payload: { delivery: deliveryId } };
}

interface HistoryMessage {
  readonly ts?: string;
  readonly thread_ts?: string;
  readonly metadata?: { event_type?: string; event_payload?: { delivery?: unknown } };
}

interface HistoryPage {
  readonly messages?: readonly HistoryMessage[];
  readonly has_more?: boolean;
  readonly response_metadata?: { next_cursor?: string };
}

/** Creates the lookup for one workspace. */
export function createDeliveryFinder(deps: { api: SlackApi; log: SlackLog; channels: ChannelDirectory }) {
  const { api, log } = deps;
  const call = async (method: string, args: Record<string, unknown>, what: string) => {
    try {
      return (await api.apiCall(method, args)) as unknown as HistoryPage;
    } catch (error) {
      throw toChatSendError(error, what);
    }
  };

  return async (search: DeliverySearch): Promise<MessageRef | undefined> => {
    const channel = search.thread?.channel ?? (await deps.channels.resolve(search.channel));
    const threadTs = search.thread ? (search.thread.thread ?? search.thread.id) : undefined;
    const method = threadTs !== undefined ? 'conversations.replies' : 'conversations.history';
    const copies: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const answer = await call(
        method,
        {
          channel,
          ...(threadTs !== undefined && { ts: threadTs }),
          oldest: ((search.since - SKEW_MS) / 1000).toFixed(6),
          limit: PAGE,
          include_all_metadata: true,
          ...(cursor !== undefined && { cursor }),
        },
        `look up delivery ${search.deliveryId}`,
      );
      for (const m of answer.messages ?? []) {
        const meta = m.metadata;
        if (meta?.event_type === DELIVERY_EVENT && meta.event_payload?.delivery === search.deliveryId && m.ts)
          copies.push(m.ts);
      }
      cursor = answer.response_metadata?.next_cursor || undefined;
      if (!answer.has_more || cursor === undefined) break;
    }
    const [first, ...strays] = [...new Set(copies)].sort((a, b) => Number(a) - Number(b));
    if (first === undefined) return undefined;
    for (const ts of strays) {
      // A doubled post: the later copy goes, the first (the one people may have reacted to) stays.
      await call('chat.delete', { channel, ts }, `delete a doubled ${search.deliveryId}`).catch(
        (error: unknown) =>
          log.warn({ channel, ts, err: (error as Error).message }, 'could not delete a doubled post'),
      );
    }
    log.info({ channel, ts: first, delivery: search.deliveryId }, 'found a post whose send was cut off');
    return {
      platform: 'slack',
      channel,
      id: first,
      ...(threadTs !== undefined && { thread: threadTs }),
    };
  };
}
