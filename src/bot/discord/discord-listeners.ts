/**
 * discord.js events in, Dispatcher calls out. Every interaction is deferred first (Discord's 3-second limit),
 * then dispatched; the answer replaces the deferred one. Answers for one person stay ephemeral; answers for the
 * channel are posted as a follow-up and the deferred private one is removed. Reactions on uncached messages
 * arrive as partials, which carry all the dispatcher needs (channel, message, user, emoji).
 */
import {
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Client,
  Events,
  type Interaction,
  MessageFlags,
  type MessageReaction,
  type PartialMessageReaction,
  type PartialUser,
  type User,
} from 'discord.js';
import { privately, type Reply } from '../../commands/command.ts';
import { BUTTON_ACTIONS, type ButtonAction, EMOJI, MENTION_RE, type Redactor } from '../../core/index.ts';
import type { Dispatcher } from '../dispatch.ts';
import { commandLineOf } from './discord-commands.ts';
import { answerText, parseCustomId } from './discord-message.ts';
import type { DiscordLog, Suggest } from './discord-types.ts';

export interface DiscordListenerDeps {
  readonly dispatcher: Dispatcher;
  readonly log: DiscordLog;
  readonly suggest: Suggest;
  readonly redactor?: Redactor;
}

/** Discord's Unicode emoji (any skin tone or variation) to the canonical names the core knows. */
const EMOJI_NAMES: Readonly<Record<string, string>> = {
  '✅': EMOJI.approve,
  '✔️': EMOJI.approve,
  '☑️': EMOJI.approve,
  '❌': EMOJI.reject,
  '🔄': EMOJI.rollback,
  '👀': EMOJI.ack,
};
const MAX_CHOICES = 25;

/** `✅` → `white_check_mark`; other emoji keep their name. */
export function canonicalDiscordEmoji(name: string | null): string {
  const bare = (name ?? '').replace(/[\u{1F3FB}-\u{1F3FF}]/gu, '');
  return EMOJI_NAMES[bare] ?? EMOJI_NAMES[bare.replace(/\uFE0F/g, '')] ?? bare;
}

const isButtonAction = (name: string): name is ButtonAction =>
  (BUTTON_ACTIONS as readonly string[]).includes(name);

const FAILED = '💥 Preflight could not handle that just now (its logs have the details); try again.';

/** Registers Preflight's listeners on a discord.js client. */
export function registerDiscordListeners(client: Client, deps: DiscordListenerDeps): void {
  const { dispatcher, log } = deps;
  const redact = (text: string) => deps.redactor?.redact(text) ?? text;

  const answer = async (interaction: ChatInputCommandInteraction | ButtonInteraction, reply: Reply) => {
    // An answer has no runbook at hand: people show by their runbook id, chat users as mentions.
    const text = reply.text.replace(MENTION_RE, (_all, id: string) =>
      id.startsWith('!') ? `<@${id.slice(1)}>` : id,
    );
    const content = answerText(redact(text));
    if (reply.visibility === 'ephemeral') {
      await interaction.editReply({ content, allowedMentions: { parse: [] } });
      return;
    }
    await interaction.followUp({ content, allowedMentions: { parse: ['users'] } });
    await interaction.deleteReply().catch(() => undefined);
  };

  /** Defers, dispatches, answers; a failure anywhere is logged and, where possible, told to the person. */
  const handle = async (
    interaction: ChatInputCommandInteraction | ButtonInteraction,
    what: string,
    run: () => Promise<Reply | undefined>,
  ) => {
    try {
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    } catch (error) {
      // Already acknowledged (a repeated delivery) or expired: nothing can be answered any more.
      log.warn(
        { err: (error as Error).message, interaction: interaction.id },
        `Discord ${what}: defer failed`,
      );
      return;
    }
    let reply: Reply | undefined;
    try {
      reply = await run();
    } catch (error) {
      log.error({ err: error, interaction: interaction.id }, `Discord ${what} failed`);
      reply = privately(FAILED);
    }
    // undefined: a repeated delivery, already answered under the same interaction.
    if (!reply) return;
    await answer(interaction, reply).catch((error: unknown) =>
      log.error({ err: (error as Error).message, interaction: interaction.id }, 'Discord answer lost'),
    );
  };

  const onCommand = (interaction: ChatInputCommandInteraction) =>
    handle(interaction, 'command', async () => {
      const values = new Map<string, string | boolean>();
      const options = interaction.options.data.flatMap((o) => (o.options ? o.options : [o]));
      for (const o of options)
        if (typeof o.value === 'string' || typeof o.value === 'boolean') values.set(o.name, o.value);
      const line = commandLineOf(interaction.commandName, interaction.options.getSubcommand(false), values);
      if (line === undefined)
        return privately(`⚠️ /${interaction.commandName} is not a Preflight command here`);
      const channel = interaction.channel;
      const inThread = channel?.isThread() === true && channel.parentId !== null;
      return dispatcher.command({
        platform: 'discord',
        userId: interaction.user.id,
        channel: inThread ? (channel.parentId ?? interaction.channelId) : interaction.channelId,
        text: line,
        eventId: `interaction:${interaction.id}`,
        ...(inThread && { threadId: interaction.channelId }),
      });
    });

  const onButton = (interaction: ButtonInteraction) =>
    handle(interaction, 'button', async () => {
      const parsed = parseCustomId(interaction.customId);
      if (!parsed || !isButtonAction(parsed.action))
        return privately('⚠️ this button is not understood (it may be from an older version of Preflight)');
      return dispatcher.button({
        platform: 'discord',
        userId: interaction.user.id,
        channel: interaction.channelId,
        action: parsed.action,
        value: parsed.value,
        eventId: `interaction:${interaction.id}`,
      });
    });

  const onAutocomplete = async (interaction: AutocompleteInteraction) => {
    const focused = interaction.options.getFocused(true);
    const what = focused.name === 'environment' ? 'environment' : 'service';
    const service =
      what === 'environment' ? (interaction.options.getString('service') ?? undefined) : undefined;
    const typed = String(focused.value).toLowerCase();
    const names = deps
      .suggest(what, service)
      .filter((n) => n.toLowerCase().includes(typed))
      .slice(0, MAX_CHOICES);
    await interaction.respond(names.map((n) => ({ name: n, value: n })));
  };

  client.on(Events.InteractionCreate, (interaction: Interaction) => {
    const run = interaction.isChatInputCommand()
      ? onCommand(interaction)
      : interaction.isButton()
        ? onButton(interaction)
        : interaction.isAutocomplete()
          ? onAutocomplete(interaction)
          : Promise.resolve();
    run.catch((error: unknown) => log.error({ err: error }, 'Discord interaction failed'));
  });

  const onReaction =
    (added: boolean) => (reaction: MessageReaction | PartialMessageReaction, user: User | PartialUser) => {
      if (user.id === client.user?.id || user.bot === true) return;
      dispatcher
        .reaction({
          platform: 'discord',
          userId: user.id,
          channel: reaction.message.channelId,
          messageId: reaction.message.id,
          emoji: canonicalDiscordEmoji(reaction.emoji.name),
          added,
        })
        .catch((error: unknown) => log.error({ err: error }, 'Discord reaction failed'));
    };
  client.on(Events.MessageReactionAdd, onReaction(true));
  client.on(Events.MessageReactionRemove, onReaction(false));
}
