/**
 * Discord's side of the reaction read-back (catch-up-reactions.ts): the people's reactions on a message, over REST.
 * The message is read once: its `reactions` say, per emoji, how many normal and how many super reactions (Discord's
 * burst reactions) it has. Only an emoji people reacted with is listed, and its super reactions only when it has
 * some: Discord lists each kind apart (normal ones unless asked for type 1), and a super ✅ is a ✅ all the same.
 */
import { type REST, Routes } from 'discord.js';
import { EMOJI } from '../../core/index.ts';
import type { ReadReaction } from '../catch-up-reactions.ts';
import type { OpenPrompt } from '../open-prompts.ts';
import type { ApprovalKinds, HeldApprovals } from './discord-approvals-held.ts';
import { EMOJI_UNICODE } from './discord-chat.ts';
import { canonicalDiscordEmoji } from './discord-listeners.ts';

/**
 * Discord lists up to 100 users per reaction page, by user id: anyone may react (bystanders' ✅ too), so every page
 * is read, lest an approver listed after the first 100 be taken for one whose ✅ is gone.
 */
const PAGE = 100;

/** One entry of a message's `reactions`, as Discord sends it (the fields read here). */
interface MessageReactionCount {
  readonly emoji: { readonly id: string | null; readonly name: string | null };
  readonly count: number;
  readonly count_details?: { readonly burst: number; readonly normal: number };
  /** Whether the bot itself reacted (normally / with a super reaction): not a person's answer. */
  readonly me?: boolean;
  readonly me_burst?: boolean;
}

/**
 * Reads the people's reactions on one prompt; `botUserId` is the bot's own id (its reactions are not answers).
 * `held`, when given, is told which ✅ of each kind it found.
 */
export function discordReactionReader(rest: REST, botUserId: () => string | undefined, held?: HeldApprovals) {
  return async ({ ref, emoji: names }: OpenPrompt): Promise<ReadReaction[]> => {
    const since = held?.now() ?? 0;
    const message = (await rest.get(Routes.channelMessage(ref.channel, ref.id))) as {
      reactions?: MessageReactionCount[];
    };
    const found: ReadReaction[] = [];
    const approvals = new Map<string, ApprovalKinds>();
    for (const emoji of names) {
      const on = message.reactions?.find(
        (r) => r.emoji.id === null && canonicalDiscordEmoji(r.emoji.name) === emoji,
      );
      if (!on) continue;
      const burst = on.count_details?.burst ?? 0;
      const normal = on.count_details?.normal ?? on.count - burst;
      const kinds = [
        ...(normal - (on.me === true ? 1 : 0) > 0 ? [false] : []),
        ...(burst - (on.me_burst === true ? 1 : 0) > 0 ? [true] : []),
      ];
      const unicode = on.emoji.name ?? EMOJI_UNICODE[emoji] ?? emoji;
      const seen = new Set<string>();
      for (const isBurst of kinds) {
        const users = await listUsers(rest, ref, unicode, isBurst);
        for (const user of users) {
          if (user.bot === true || user.id === botUserId()) continue;
          if (emoji === EMOJI.approve) {
            const has = approvals.get(user.id) ?? { normal: false, burst: false };
            has[isBurst ? 'burst' : 'normal'] = true;
            approvals.set(user.id, has);
          }
          if (seen.has(user.id)) continue;
          seen.add(user.id);
          found.push({ emoji, userId: user.id });
        }
      }
    }
    if (names.includes(EMOJI.approve)) held?.read(ref.id, since, approvals);
    return found;
  };
}

/** Every user who reacted with `unicode` (normal or super reactions) on the message, page after page. */
async function listUsers(
  rest: REST,
  ref: OpenPrompt['ref'],
  unicode: string,
  isBurst: boolean,
): Promise<{ id: string; bot?: boolean }[]> {
  const all: { id: string; bot?: boolean }[] = [];
  for (;;) {
    const query = new URLSearchParams({ limit: String(PAGE) });
    if (isBurst) query.set('type', '1');
    const after = all.at(-1)?.id;
    if (after !== undefined) query.set('after', after);
    const page = (await rest.get(
      Routes.channelMessageReaction(ref.channel, ref.id, encodeURIComponent(unicode)),
      { query },
    )) as { id: string; bot?: boolean }[];
    all.push(...page);
    if (page.length < PAGE) return all;
  }
}
