/**
 * Whether a chat platform can reach Preflight right now: Slack's Socket Mode WebSocket, Discord's gateway. Over
 * HTTP, Slack calls Preflight, so there is no link to watch. `/readyz` shows each link, and counts one that has
 * been down longer than a reconnect takes as not ready: a bot that hears nothing must not look healthy.
 */
export interface ChatLink {
  readonly up: boolean;
  /** When it went up or down (ms since the epoch). */
  readonly since: number;
  /** Why it is down (the last error), or how it is connected. */
  readonly detail: string;
}

export interface ChatLinkTracker {
  up(detail: string): void;
  down(detail: string): void;
  state(): ChatLink;
}

/** Starts down ("connecting") until the first `up`. */
export function createChatLinkTracker(now: () => number = Date.now): ChatLinkTracker {
  let link: ChatLink = { up: false, since: now(), detail: 'connecting' };
  return {
    up(detail) {
      link = { up: true, since: link.up ? link.since : now(), detail };
    },
    down(detail) {
      link = { up: false, since: link.up ? now() : link.since, detail };
    },
    state: () => link,
  };
}

/** How long a link may be down (a reconnect under way) before /readyz counts the bot as not ready. */
export const LINK_DOWN_GRACE_MS = 60_000;

/** A link as /readyz shows it: `connected`, or `down for 75 s: <why>; reconnecting`. */
export function judgeLink(link: ChatLink, now: number): { readonly ok: boolean; readonly text: string } {
  if (link.up) return { ok: true, text: link.detail };
  const downMs = Math.max(0, now - link.since);
  return {
    ok: downMs <= LINK_DOWN_GRACE_MS,
    text: `down for ${Math.round(downMs / 1000)} s: ${link.detail}; reconnecting`,
  };
}
