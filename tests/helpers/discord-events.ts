/** Gateway dispatch payloads as Discord sends them (typed with discord.js's discord-api-types re-exports). */
import type {
  APIChatInputApplicationCommandInteraction,
  APIMessageComponentButtonInteraction,
  APIModalSubmitInteraction,
  GatewayMessageReactionAddDispatchData,
  GatewayMessageReactionRemoveDispatchData,
} from 'discord.js';
import {
  APPLICATION_ID,
  BOT_USER_ID,
  channelJson,
  type FakeChannel,
  type FakeDiscordMessage,
  GUILD_ID,
  memberJson,
  messageJson,
  nextSnowflake,
} from './fake-discord-state.ts';

const PERMISSIONS = '2248473465835073';

export interface InteractionIds {
  readonly id: string;
  readonly token: string;
}

export function newInteractionIds(): InteractionIds {
  const id = nextSnowflake();
  return { id, token: `aW50ZXJhY3Rpb246${id}` };
}

function base(ids: InteractionIds, user: string, channel: FakeChannel) {
  return {
    id: ids.id,
    application_id: APPLICATION_ID,
    token: ids.token,
    version: 1 as const,
    guild_id: GUILD_ID,
    channel_id: channel.id,
    channel: channelJson(channel),
    member: { ...memberJson(user), permissions: PERMISSIONS },
    app_permissions: PERMISSIONS,
    locale: 'en-US',
    guild_locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: { '0': GUILD_ID },
    context: 0,
  };
}

/** A slash command: `/name [sub] option:value…` (strings type 3, booleans type 5). */
export function slashInteraction(
  ids: InteractionIds,
  user: string,
  channel: FakeChannel,
  name: string,
  sub: string | undefined,
  values: Record<string, string | boolean>,
): APIChatInputApplicationCommandInteraction {
  const options = Object.entries(values).map(([option, value]) =>
    typeof value === 'boolean' ? { name: option, type: 5, value } : { name: option, type: 3, value },
  );
  return {
    ...base(ids, user, channel),
    type: 2,
    data: {
      id: nextSnowflake(),
      name,
      type: 1,
      options: sub ? [{ name: sub, type: 1, options }] : options,
    },
  } as unknown as APIChatInputApplicationCommandInteraction;
}

/** Autocomplete while typing `/deploy start`: the focused option and what was typed so far. */
export function autocompleteInteraction(
  ids: InteractionIds,
  user: string,
  channel: FakeChannel,
  values: Record<string, string>,
  focused: string,
): Record<string, unknown> {
  const options = Object.entries(values).map(([name, value]) => ({
    name,
    type: 3,
    value,
    ...(name === focused && { focused: true }),
  }));
  return {
    ...base(ids, user, channel),
    type: 4,
    data: { id: nextSnowflake(), name: 'deploy', type: 1, options: [{ name: 'start', type: 1, options }] },
  };
}

/** A click on a button of one of the bot's messages. */
export function buttonInteraction(
  ids: InteractionIds,
  user: string,
  channel: FakeChannel,
  message: FakeDiscordMessage,
  customId: string,
): APIMessageComponentButtonInteraction {
  return {
    ...base(ids, user, channel),
    type: 3,
    message: messageJson(message),
    data: { custom_id: customId, component_type: 2 },
  } as unknown as APIMessageComponentButtonInteraction;
}

/** A form (modal) opened by a button of one of the bot's messages, submitted with its text fields filled in. */
export function modalSubmitInteraction(
  ids: InteractionIds,
  user: string,
  channel: FakeChannel,
  message: FakeDiscordMessage,
  customId: string,
  fields: Record<string, string>,
): APIModalSubmitInteraction {
  return {
    ...base(ids, user, channel),
    type: 5,
    message: messageJson(message),
    data: {
      custom_id: customId,
      components: Object.entries(fields).map(([field, value]) => ({
        type: 1,
        components: [{ type: 4, custom_id: field, value }],
      })),
    },
  } as unknown as APIModalSubmitInteraction;
}

/** MESSAGE_REACTION_ADD or _REMOVE data. */
export function reactionData(
  user: string,
  message: FakeDiscordMessage,
  emoji: string,
  added: boolean,
  /** In a direct message: Discord sends no guild and no member then. */
  direct = false,
  /** A super reaction (Nitro's burst reaction): `burst: true`, reaction type 1. */
  burst = false,
): GatewayMessageReactionAddDispatchData | GatewayMessageReactionRemoveDispatchData {
  const common = {
    user_id: user,
    channel_id: message.channel_id,
    message_id: message.id,
    ...(!direct && { guild_id: GUILD_ID }),
    emoji: { id: null, name: emoji },
    burst,
    type: burst ? 1 : 0,
  };
  return (added
    ? {
        ...common,
        ...(!direct && { member: memberJson(user) }),
        // Who wrote the message, as Discord says on every reaction added.
        message_author_id: message.author ?? BOT_USER_ID,
        burst_colors: burst ? ['#2ecc71'] : [],
      }
    : common) as unknown as GatewayMessageReactionAddDispatchData;
}
