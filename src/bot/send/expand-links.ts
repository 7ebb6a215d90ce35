/**
 * Turns channel and thread references (`linkChannel`, `linkThread` in core) into the platform's links: a channel
 * link, then a link to the thread's first message where the port can make one. Where it cannot (the terminal, a
 * failed lookup, a thread not posted yet) the channel's link or name stands alone; a message never fails for it.
 * A thread whose channel refused its first message is never linked as if it were there: its link says so, as soon as
 * the channel is known to refuse Preflight's posts (a refusal recorded there, of any thread) without waiting for its
 * own first message to be tried. An answer to a person that cannot tell yet (its thread's first message is still
 * on its way when it may wait no longer) says the thread is not posted there yet, never just where to follow it.
 */
import {
  type ChatMessage,
  type ChatPort,
  LINK_RE,
  type MessageIndex,
  mapOwnText,
  plainLinks,
} from '../../core/index.ts';

export interface LinkDeps {
  /** The port of the platform the text goes to; none: plain channel names. */
  readonly port: ChatPort | undefined;
  readonly index: Pick<MessageIndex, 'find'>;
  /** How long to wait for a thread's first message still on its way (the answer to /deploy start); default 0. */
  readonly waitMs?: number;
  /** Whether the channel refuses the thread of `owner` (a deployment or an incident) now: it is not shown there. */
  readonly refused?: (owner: string) => Promise<boolean>;
  /** Whether the channel of `owner`'s thread refuses Preflight's posts in every thread now. */
  readonly channelRefuses?: (owner: string) => Promise<boolean>;
  /**
   * Whether to say so when `owner`'s thread is not posted yet and its channel is not known to refuse it (an answer to a
   * person): for a deployment or an incident still under way, whose first message may be on its way; not for an old
   * one whose message is no longer indexed.
   */
  readonly sayUnposted?: (owner: string) => Promise<boolean>;
}

/** Text with its links expanded, and the owners of linked threads whose first message their channel refused. */
export interface ExpandedLinks {
  readonly text: string;
  readonly unposted: readonly string[];
}

const POLL_MS = 100;

/** Whether `owner`'s thread is refused now: its channel refused it, or refuses every thread. */
async function refusing(deps: LinkDeps, owner: string): Promise<boolean> {
  if (await deps.refused?.(owner).catch(() => false)) return true;
  return (await deps.channelRefuses?.(owner).catch(() => false)) === true;
}

/**
 * The thread's first message once posted; 'refused' as soon as its channel refuses it (no use waiting then);
 * 'unposted' when it is neither by the end of the wait.
 */
async function findRoot(deps: LinkDeps, owner: string, key: string) {
  const deadline = Date.now() + (deps.waitMs ?? 0);
  for (;;) {
    const ref = await deps.index.find(owner, key).catch(() => undefined);
    if (ref) return ref;
    if (await refusing(deps, owner)) return 'refused' as const;
    if (Date.now() >= deadline) return 'unposted' as const;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** What a thread link says when the channel refused the thread: it is not there to follow. */
const REFUSED_NOTE = "(⚠️ not shown there: Preflight's posts there are refused)";
/** What a thread link says when the channel refuses the thread's new messages: they wait, unseen. */
const POSTED_REFUSED_NOTE =
  "(⚠️ its new messages are not shown there yet: Preflight's posts there are refused, they wait and go out once it may post there)";
/** What a thread link in an answer says when the thread's first message is still on its way: where to look meanwhile. */
const unpostedNote = (owner: string, root: string) =>
  `(⏳ its thread is not posted there yet: until it is, \`/${root === 'incident' ? 'incident' : 'deploy'} status ${owner}\` shows where it stands)`;

async function renderLink(
  port: ChatPort,
  deps: LinkDeps,
  channel: string,
  owner: string | undefined,
  root: string | undefined,
): Promise<{ readonly link: string; readonly unposted?: string }> {
  const channelLink = port.linkChannel ? await port.linkChannel(channel).catch(() => channel) : channel;
  if (owner === undefined || root === undefined || !port.linkThread) return { link: channelLink };
  const ref = await findRoot(deps, owner, root);
  if (ref === 'refused') return { link: `${channelLink} ${REFUSED_NOTE}`, unposted: owner };
  if (ref === 'unposted')
    return {
      link: (await deps.sayUnposted?.(owner).catch(() => false))
        ? `${channelLink} ${unpostedNote(owner, root)}`
        : channelLink,
    };
  if (ref.platform !== port.platform) return { link: channelLink };
  const thread = await port.linkThread(ref, `${owner} thread`).catch(() => undefined);
  const link = thread ? `${channelLink} (${thread})` : channelLink;
  // Shown there once, but the channel refuses what follows: what was just said there waits, unseen.
  if (await refusing(deps, owner)) return { link: `${link} ${POSTED_REFUSED_NOTE}` };
  return { link };
}

/** Replaces each channel or thread reference in `text` (outside its literal spans) with its link on `deps.port`. */
export async function expandLinks(text: string, deps: LinkDeps): Promise<string> {
  return (await expandLinksSaying(text, deps)).text;
}

/** `expandLinks`, saying which linked threads are not posted because their channel refuses them (links say so too). */
export async function expandLinksSaying(text: string, deps: LinkDeps): Promise<ExpandedLinks> {
  const port = deps.port;
  if (!port?.linkChannel && !port?.linkThread) return { text: mapOwnText(text, plainLinks), unposted: [] };
  const found: RegExpExecArray[] = [];
  mapOwnText(text, (own) => {
    found.push(...own.matchAll(LINK_RE));
    return own;
  });
  if (found.length === 0) return { text, unposted: [] };
  const links = await Promise.all(found.map((m) => renderLink(port, deps, m[1] ?? '', m[2], m[3])));
  let at = 0;
  return {
    text: mapOwnText(text, (own) => own.replace(LINK_RE, (all) => links[at++]?.link ?? all)),
    unposted: links.flatMap((l) => (l.unposted === undefined ? [] : [l.unposted])),
  };
}

/** `expandLinks` on a message's text. */
export async function expandMessageLinks(message: ChatMessage, deps: LinkDeps): Promise<ChatMessage> {
  return { ...message, text: await expandLinks(message.text, deps) };
}
