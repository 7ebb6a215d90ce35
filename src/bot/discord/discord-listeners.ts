/**
 * discord.js events in, inbox entries out: each interaction and reaction is recorded durably (keyed by the
 * interaction id), then the interaction is deferred (Discord's 3-second limit); the work and the answer happen when
 * the inbox hands the entry to a process serving Discord (discord-reply.ts answers it). Reactions on uncached
 * messages arrive as partials, which carry all an entry needs (channel, message, user, emoji). Autocomplete only
 * reads the runbooks and is answered at once. What comes from outside Preflight's server (DISCORD_GUILD_ID) is checked
 * first, for interactions and reactions alike (discord-home.ts).
 */
import { randomUUID } from 'node:crypto';
import {
  type AutocompleteInteraction,
  type Client,
  Events,
  type Interaction,
  MessageFlags,
  type MessageReaction,
  type PartialMessageReaction,
  type PartialUser,
  type User,
} from 'discord.js';
import {
  type ChatInbox,
  customEmoji,
  EMOJI,
  type InboxEntry,
  LOOK_ALIKE_NAMES,
  notRecordedText,
} from '../../core/index.ts';
import type { HeldApprovals } from './discord-approvals-held.ts';
import { type FormRefused, formForPress } from './discord-form-button.ts';
import type { DiscordHome } from './discord-home.ts';
import { type Answerable, eventOf } from './discord-interaction-event.ts';
import { createReactionRecorder, type ReactionRecorder } from './discord-reaction-recorder.ts';
import type { DiscordLog, Suggest } from './discord-types.ts';

export interface DiscordListenerDeps {
  readonly inbox: Pick<ChatInbox, 'record'>;
  readonly log: DiscordLog;
  readonly suggest: Suggest;
  /** Which server's interactions and reactions are Preflight's (DISCORD_GUILD_ID). */
  readonly home: DiscordHome;
  /** Where deferrals under way are kept, so an answer in this process waits for its deferral. */
  readonly deferrals: Map<string, Promise<unknown>>;
  /** The ✅ each person has on a message, by kind: one of two taken off withdraws nothing. */
  readonly held?: HeldApprovals;
  /** Whether a press that opens a form would be refused now (it is then taken as a press, and refused). */
  readonly formRefused?: FormRefused;
}

/**
 * Discord's Unicode emoji (any skin tone or variation) to the canonical names the core knows. Only ✅ approves, as
 * on Slack: the read-back after a gateway gap lists ✅ alone, so a look-alike (✔️, ☑️) counted live would be taken
 * away by the next session. Look-alikes are named as Slack names them, so the core tells the person which counts.
 */
const EMOJI_NAMES: Readonly<Record<string, string>> = {
  '✅': EMOJI.approve,
  '❌': EMOJI.reject,
  '🔄': EMOJI.rollback,
  '👀': EMOJI.ack,
  '✔': 'heavy_check_mark',
  '☑': 'ballot_box_with_check',
  '👍': '+1',
  '🆗': 'ok',
  '👌': 'ok_hand',
  '✖': 'heavy_multiplication_x',
  '❎': 'negative_squared_cross_mark',
  '👎': '-1',
  '⛔': 'no_entry',
  '🚫': 'no_entry_sign',
  '👁': 'eye',
  '👁\u200D🗨': 'eye-in-speech-bubble',
  '🔁': 'repeat',
  '🔃': 'arrows_clockwise',
  '🔂': 'repeat_one',
};
const ANSWERS: ReadonlySet<string> = new Set(Object.values(EMOJI));
const ACTED_ON: ReadonlySet<string> = new Set([...ANSWERS, ...LOOK_ALIKE_NAMES]);
const MAX_CHOICES = 25;
const NOT_PREFLIGHTS =
  '⚠️ this is not something Preflight put here or registered (it may be from an older version of Preflight); nothing was done. `/deploy help` lists what it knows.';
/** Authors of reacted messages remembered from the gateway's payloads (a message's author never changes). */
const AUTHORS_KEPT = 1_000;

/** `✅` → `white_check_mark`; other emoji keep their name. */
export function canonicalDiscordEmoji(name: string | null): string {
  const bare = (name ?? '').replace(/[\u{1F3FB}-\u{1F3FF}]/gu, '');
  return EMOJI_NAMES[bare] ?? EMOJI_NAMES[bare.replace(/\uFE0F/g, '')] ?? bare;
}

let lastReceived = 0;
/** Now in microseconds, strictly increasing within the process. */
function receivedAt(): number {
  lastReceived = Math.max(lastReceived + 1, Math.floor((performance.timeOrigin + performance.now()) * 1000));
  return lastReceived;
}

/** Registers Preflight's listeners on a discord.js client; what it returns stops the reactions' tries still to come. */
export function registerDiscordListeners(client: Client, deps: DiscordListenerDeps): ReactionRecorder {
  const { inbox, log, deferrals, home } = deps;
  const reactions = createReactionRecorder({ inbox, log });

  const onInteraction = async (interaction: Answerable) => {
    // A button that needs words first (Reject: why?) opens a form; its submission is the click that counts.
    if (interaction.isButton()) {
      const form = await formForPress(interaction, deps.formRefused);
      if (form) {
        await interaction.showModal(form);
        return;
      }
    }
    const event = eventOf(interaction);
    if (typeof event === 'string') {
      await interaction.reply({ content: event, flags: MessageFlags.Ephemeral });
      return;
    }
    const channel = interaction.channel;
    // A command typed in a deployment's thread: the thread's parent channel and the thread (= its root message).
    const parent =
      event.type === 'command' && event.threadId !== undefined
        ? channel?.isThread() && channel.parentId
        : undefined;
    const entry: InboxEntry = {
      platform: 'discord',
      id: `interaction:${interaction.id}`,
      userId: interaction.user.id,
      channel: parent || interaction.channelId || '',
      event,
      replyTo: interaction.token,
    };
    let settle = () => {};
    // Registered before recording: the inbox may hand the entry to this process before the deferral is done.
    deferrals.set(interaction.id, new Promise<void>((resolve) => (settle = resolve)));
    try {
      try {
        await inbox.record(entry);
      } catch (error) {
        log.error(
          { err: (error as Error).message, entry: entry.id },
          'could not record a Discord interaction',
        );
        await interaction.reply({ content: notRecordedText(error), flags: MessageFlags.Ephemeral });
        return;
      }
      await interaction.deferReply({ flags: MessageFlags.Ephemeral }).catch((error: unknown) => {
        // Already acknowledged: the gateway delivered it twice, and the first delivery is being answered.
        log.warn({ err: (error as Error).message, interaction: interaction.id }, 'Discord deferral failed');
      });
    } finally {
      settle();
      setTimeout(() => deferrals.delete(interaction.id), 60_000).unref();
    }
  };

  const onAutocomplete = async (interaction: AutocompleteInteraction) => {
    const focused = interaction.options.getFocused(true);
    const what = focused.name === 'environment' ? 'environment' : 'service';
    // Read as sent, not by getString: an option of another type (a client's own payload) throws there, and the
    // person would get no suggestions and the log an error.
    const typedService = interaction.options.get('service')?.value;
    const service = what === 'environment' && typeof typedService === 'string' ? typedService : undefined;
    const typed = String(focused.value).toLowerCase();
    const names = deps
      .suggest(what, service)
      .filter((n) => n.toLowerCase().includes(typed))
      .slice(0, MAX_CHOICES);
    await interaction.respond(names.map((n) => ({ name: n, value: n })));
  };

  // Not Preflight's server: told where it answers (autocomplete suggests nothing), and nothing is recorded.
  const onElsewhere = async (interaction: Interaction) => {
    if (interaction.isAutocomplete()) await interaction.respond([]);
    else if (interaction.isRepliable())
      await interaction.reply({
        content: home.refusal(interaction.guildId, interaction.user.id),
        flags: MessageFlags.Ephemeral,
      });
  };

  // What Preflight never posts nor registers (a select menu, a context-menu command): said, not left to fail.
  const onOther = async (interaction: Interaction) => {
    if (interaction.isRepliable())
      await interaction.reply({ content: NOT_PREFLIGHTS, flags: MessageFlags.Ephemeral });
  };

  client.on(Events.InteractionCreate, (interaction: Interaction) => {
    const run = !home.admits('interaction', interaction.guildId)
      ? onElsewhere(interaction)
      : interaction.isChatInputCommand() || interaction.isButton() || interaction.isModalSubmit()
        ? onInteraction(interaction)
        : interaction.isAutocomplete()
          ? onAutocomplete(interaction)
          : onOther(interaction);
    run.catch((error: unknown) => log.error({ err: error }, 'Discord interaction failed'));
  });

  const recordReaction = (r: {
    /** The reaction's server; null in a direct message. */
    guildId: string | null;
    userId: string;
    channelId: string;
    messageId: string;
    emojiName: string | null | undefined;
    /** Set for a server's own (custom) emoji: one named white_check_mark is not ✅, but a look-alike of it. */
    emojiId: string | null | undefined;
    added: boolean;
    /** Who wrote the message, where Discord says (MESSAGE_REACTION_ADD's message_author_id). */
    authorId: string | undefined;
  }) => {
    if (r.userId === client.user?.id || !home.admits('reaction', r.guildId)) return;
    const me = client.user?.id;
    // A server's own emoji answers nothing, even one named white_check_mark; named as an answer or a look-alike, it
    // is a look-alike (its person is told which emoji counts). Other custom emoji cost nothing.
    const custom = r.emojiId ? (r.emojiName ?? '').toLowerCase() : undefined;
    const emoji = custom === undefined ? canonicalDiscordEmoji(r.emojiName ?? null) : customEmoji(custom);
    // Only the emoji Preflight acts on become entries; 🎉 and friends cost nothing.
    if (!ACTED_ON.has(custom ?? emoji)) return;
    // A look-alike (👍, ✔️ …) is answered only when put on a message of Preflight's: the 👍 of a busy server's other
    // messages cost nothing either, and taking one off says nothing.
    if (!ANSWERS.has(emoji) && (!r.added || me === undefined || r.authorId !== me)) return;
    // One of a person's two ✅ (a normal and a super one) taken off: the one left still approves.
    if (!r.added && emoji === EMOJI.approve && deps.held?.holds(r.messageId, r.userId)) return;
    const entry: InboxEntry = {
      platform: 'discord',
      // Discord gives reactions no delivery id; each one is its own entry (approvals count once per person).
      id: `reaction:${randomUUID()}`,
      userId: r.userId,
      channel: r.channelId,
      event: {
        type: 'reaction',
        messageId: r.messageId,
        emoji,
        added: r.added,
        // Discord sends no time with a reaction; the gateway hands them over in order, so their arrival orders them.
        at: receivedAt(),
        // Who wrote the message: a ✅ on a person's message is nothing to Preflight, on its own it is an answer.
        ...(r.authorId !== undefined && me !== undefined && { ours: r.authorId === me }),
        unnamed: true,
      },
    };
    reactions.record(entry);
  };

  // discord.js keeps no message_author_id on a guild reaction, and an uncached message has no author: the raw
  // payload, emitted just before discord.js handles it, says who wrote the message.
  const authors = new Map<string, string>();
  const noteAuthor = (messageId: string, authorId: unknown) => {
    if (typeof authorId !== 'string') return;
    authors.delete(messageId);
    authors.set(messageId, authorId);
    if (authors.size > AUTHORS_KEPT) authors.delete(authors.keys().next().value as string);
  };
  const onReaction =
    (added: boolean) => (reaction: MessageReaction | PartialMessageReaction, user: User | PartialUser) => {
      // Direct messages come through the raw event below.
      if (user.bot === true || reaction.message.guildId === null) return;
      const messageId = reaction.message.id;
      recordReaction({
        guildId: reaction.message.guildId,
        userId: user.id,
        channelId: reaction.message.channelId,
        messageId,
        emojiName: reaction.emoji.name,
        emojiId: reaction.emoji.id,
        added,
        authorId: reaction.message.author?.id ?? authors.get(messageId),
      });
    };
  client.on(Events.MessageReactionAdd, onReaction(true));
  client.on(Events.MessageReactionRemove, onReaction(false));
  // discord.js drops a reaction in a direct message whose channel it has not cached (after a restart, a 👀 on a
  // page sent before it), so reactions in direct messages are read from the gateway's own payload.
  client.on(Events.Raw, (packet: { t?: string; d?: RawReaction }) => {
    const added = packet.t === 'MESSAGE_REACTION_ADD';
    if ((!added && packet.t !== 'MESSAGE_REACTION_REMOVE') || !packet.d) return;
    const { user_id: userId, channel_id: channelId, message_id: messageId, emoji } = packet.d;
    if (typeof messageId === 'string') noteAuthor(messageId, packet.d.message_author_id);
    // Which kind of ✅ (normal or super) is known from this payload only; noted before the reaction is handled.
    if (typeof messageId === 'string' && typeof userId === 'string' && !emoji?.id)
      if (canonicalDiscordEmoji(emoji?.name ?? null) === EMOJI.approve)
        deps.held?.heard(messageId, userId, packet.d.burst === true, added);
    if (packet.d.guild_id) return;
    if (typeof userId !== 'string' || typeof channelId !== 'string' || typeof messageId !== 'string') return;
    const authorId = authors.get(messageId);
    recordReaction({
      guildId: null,
      userId,
      channelId,
      messageId,
      emojiName: emoji?.name,
      emojiId: emoji?.id,
      added,
      authorId,
    });
  });
  return reactions;
}

/** The fields of a MESSAGE_REACTION_ADD/REMOVE payload read here. */
interface RawReaction {
  readonly user_id?: unknown;
  readonly channel_id?: unknown;
  readonly message_id?: unknown;
  readonly guild_id?: unknown;
  /** Who wrote the reacted message (MESSAGE_REACTION_ADD only). */
  readonly message_author_id?: unknown;
  readonly emoji?: { readonly name?: string | null; readonly id?: string | null };
  /** A super reaction (Discord's burst reaction). */
  readonly burst?: unknown;
}
