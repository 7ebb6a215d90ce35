/**
 * Turns channel and thread references (`linkChannel`, `linkThread` in core) into the platform's links: a channel
 * link, then a link to the thread's first message where the port can make one. Where it cannot (the terminal, a
 * failed lookup, a thread not posted yet) the channel's link or name stands alone; a message never fails for it.
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
}

const POLL_MS = 100;

async function findRoot(deps: LinkDeps, owner: string, key: string) {
  const deadline = Date.now() + (deps.waitMs ?? 0);
  for (;;) {
    const ref = await deps.index.find(owner, key).catch(() => undefined);
    if (ref || Date.now() >= deadline) return ref;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function renderLink(
  port: ChatPort,
  deps: LinkDeps,
  channel: string,
  owner: string | undefined,
  root: string | undefined,
): Promise<string> {
  const channelLink = port.linkChannel ? await port.linkChannel(channel).catch(() => channel) : channel;
  if (owner === undefined || root === undefined || !port.linkThread) return channelLink;
  const ref = await findRoot(deps, owner, root);
  if (!ref || ref.platform !== port.platform) return channelLink;
  const thread = await port.linkThread(ref, `${owner} thread`).catch(() => undefined);
  return thread ? `${channelLink} (${thread})` : channelLink;
}

/** Replaces each channel or thread reference in `text` (outside its literal spans) with its link on `deps.port`. */
export async function expandLinks(text: string, deps: LinkDeps): Promise<string> {
  const port = deps.port;
  if (!port?.linkChannel && !port?.linkThread) return mapOwnText(text, plainLinks);
  const found: RegExpExecArray[] = [];
  mapOwnText(text, (own) => {
    found.push(...own.matchAll(LINK_RE));
    return own;
  });
  if (found.length === 0) return text;
  const links = await Promise.all(found.map((m) => renderLink(port, deps, m[1] ?? '', m[2], m[3])));
  let at = 0;
  return mapOwnText(text, (own) => own.replace(LINK_RE, (all) => links[at++] ?? all));
}

/** `expandLinks` on a message's text. */
export async function expandMessageLinks(message: ChatMessage, deps: LinkDeps): Promise<ChatMessage> {
  return { ...message, text: await expandLinks(message.text, deps) };
}
