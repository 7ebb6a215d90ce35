/**
 * Forms (Discord modals) for the buttons that need words: Reject asks why, and so does *Give the reason* on a gate
 * rejected by ❌. Preflight reads no message text on Discord (that needs a privileged intent), so a reason cannot
 * come as a thread reply there; the form's submission carries it instead, under the button's own custom id.
 */
import { ActionRowBuilder, ModalBuilder, TextInputBuilder, TextInputStyle } from 'discord.js';
import { THING_OF_MESSAGE } from '../../core/index.ts';
import { parseCustomId } from './discord-message.ts';

/** The form field that holds the reason. */
export const REASON_FIELD = 'reason';
const REASON_MAX = 500;

const TITLES: Readonly<Record<string, string>> = {
  'gate.reject': 'Reject the gate',
  'gate.reason': 'Why was the gate rejected?',
};

/** The form a button opens before its click counts, or undefined for a button that acts at once. */
export function textFormFor(customId: string): ModalBuilder | undefined {
  const parsed = parseCustomId(customId);
  const title = parsed && TITLES[parsed.action];
  if (!parsed || title === undefined) return undefined;
  const named = parsed.value.split(':')[1];
  // A button whose value names its gate by the message (discord-message.ts) says which only there.
  const gate = named && named !== THING_OF_MESSAGE ? named : 'the gate';
  const reason = new TextInputBuilder()
    .setCustomId(REASON_FIELD)
    .setLabel(`Why is ${gate} rejected?`.slice(0, 45))
    .setStyle(TextInputStyle.Paragraph)
    .setRequired(true)
    .setMinLength(1)
    .setMaxLength(REASON_MAX)
    .setPlaceholder('e.g. CVE-2026-1234 is not fixed yet');
  return new ModalBuilder()
    .setCustomId(customId)
    .setTitle(title)
    .addComponents(new ActionRowBuilder<TextInputBuilder>().addComponents(reason));
}
