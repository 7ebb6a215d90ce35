/** What a Discord interaction (a slash command, a button, a form) stands for in Preflight's inbox. */
import type { ButtonInteraction, ChatInputCommandInteraction, ModalSubmitInteraction } from 'discord.js';
import { BUTTON_ACTIONS, type ButtonAction, type InboxEvent } from '../../core/index.ts';
import { commandLineOf } from './discord-commands.ts';
import { parseCustomId } from './discord-message.ts';
import { REASON_FIELD } from './discord-text-form.ts';

const isButtonAction = (name: string): name is ButtonAction =>
  (BUTTON_ACTIONS as readonly string[]).includes(name);

export type Answerable = ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction;

/** The chat event an interaction stands for, or a reason it is not one of Preflight's. */
export function eventOf(interaction: Answerable): InboxEvent | string {
  if (interaction.isButton() || interaction.isModalSubmit()) {
    const parsed = parseCustomId(interaction.customId);
    if (!parsed || !isButtonAction(parsed.action))
      return '⚠️ this button is not understood (it may be from an older version of Preflight); nothing was done';
    const text = interaction.isModalSubmit() ? reasonOf(interaction) : undefined;
    const messageId = interaction.message?.id;
    return {
      type: 'button',
      action: parsed.action,
      value: parsed.value,
      ...(text !== undefined && { text }),
      ...(messageId !== undefined && { messageId }),
    };
  }
  const values = new Map<string, string | boolean>();
  const options = interaction.options.data.flatMap((o) => (o.options ? o.options : [o]));
  for (const o of options)
    if (typeof o.value === 'string' || typeof o.value === 'boolean') values.set(o.name, o.value);
  const sub = interaction.options.getSubcommand(false);
  const line = commandLineOf(interaction.commandName, sub, values);
  // The command Discord shows is not one this version knows: the registered commands are older or newer.
  if (line === undefined)
    return `⚠️ /${interaction.commandName}${sub ? ` ${sub}` : ''} is not a command this Preflight knows: its slash commands may be out of date (run \`preflight discord register\`); /deploy help lists what it knows`;
  const channel = interaction.channel;
  const inThread = channel?.isThread() === true && channel.parentId !== null;
  return { type: 'command', text: line, ...(inThread && { threadId: interaction.channelId }) };
}

/** The text written into a form's reason field, if the form had one. */
function reasonOf(interaction: ModalSubmitInteraction): string | undefined {
  return interaction.fields.fields.has(REASON_FIELD)
    ? interaction.fields.getTextInputValue(REASON_FIELD)
    : undefined;
}
