/**
 * Records reactions (and message deletions) heard on the gateway, trying again while Redis does not take them. Discord delivers a reaction
 * once and never again (Slack sends an event again after a 500), so a ✅ made during a Redis blip would be lost:
 * shown on the gate's message, never counted, and nobody told. The same entry (its id and time) goes each time, so
 * one that Redis took after all counts once, and it keeps its place among the person's reactions. Given up after
 * RETRY_FOR_MS, said in the log (a new gateway session's read-back still finds what is on the message then).
 */
import type { ChatInbox, InboxEntry } from '../../core/index.ts';
import type { DiscordLog } from './discord-types.ts';

/** How long a reaction Redis did not take is tried again: about as long as Slack sends an event again. */
export const RETRY_FOR_MS = 5 * 60_000;
const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 15_000;

export interface ReactionRecorder {
  /** Records the entry now, and again later while recording fails. */
  record(entry: InboxEntry): void;
  /** Drops the tries still to come (the adapter is stopping). */
  stop(): void;
}

export function createReactionRecorder(deps: {
  readonly inbox: Pick<ChatInbox, 'record'>;
  readonly log: DiscordLog;
  readonly retryForMs?: number;
}): ReactionRecorder {
  const retryForMs = deps.retryForMs ?? RETRY_FOR_MS;
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  const attempt = (entry: InboxEntry, since: number, delay: number) => {
    const what = entry.event.type === 'reaction' ? 'reaction' : 'message deletion';
    deps.inbox.record(entry).then(
      () => {
        if (delay > FIRST_DELAY_MS)
          deps.log.info({ entry: entry.id }, `Discord ${what} recorded on a later try`);
      },
      (error: unknown) => {
        const err = (error as Error).message;
        if (stopped) return;
        if (Date.now() - since + delay > retryForMs) {
          deps.log.error({ err, entry: entry.id }, `could not record a Discord ${what}; gave up`);
          return;
        }
        if (delay === FIRST_DELAY_MS)
          deps.log.warn({ err, entry: entry.id }, `could not record a Discord ${what}; trying again`);
        const timer = setTimeout(() => {
          timers.delete(timer);
          attempt(entry, since, Math.min(delay * 2, MAX_DELAY_MS));
        }, delay);
        timer.unref();
        timers.add(timer);
      },
    );
  };
  return {
    record: (entry) => {
      if (!stopped) attempt(entry, Date.now(), FIRST_DELAY_MS);
    },
    stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
