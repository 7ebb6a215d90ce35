/**
 * A button that needs words before it counts (Reject: why?) opens a form, unless the press would be refused now (a
 * person who may not reject, a gate already decided): that press is taken at once, without words, and refused
 * through the core as any press is (audited, counted, with who may). The look is read only and bounded: Discord
 * wants the form or an answer within 3 s, and a look that fails or takes too long opens the form, as before.
 */
import type { ButtonInteraction, ModalBuilder } from 'discord.js';
import type { ButtonAction } from '../../core/index.ts';
import { eventOf } from './discord-interaction-event.ts';
import { textFormFor } from './discord-text-form.ts';

/** Whether a press would be refused now (dispatch.ts `formRefused`). */
export type FormRefused = (input: {
  readonly platform: 'discord';
  readonly userId: string;
  readonly channel: string;
  readonly action: ButtonAction;
  readonly value: string;
  readonly messageId?: string;
}) => Promise<boolean>;

/** How long the look may take, of Discord's 3 s for the first answer. */
const LOOK_MS = 1_000;

/** The form to open for this press, or undefined when the press is taken as it is. */
export async function formForPress(
  interaction: ButtonInteraction,
  refused: FormRefused | undefined,
): Promise<ModalBuilder | undefined> {
  const form = textFormFor(interaction.customId);
  const event = eventOf(interaction);
  if (!form || !refused || typeof event === 'string' || event.type !== 'button') return form;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), LOOK_MS);
  });
  const look = refused({
    platform: 'discord',
    userId: interaction.user.id,
    channel: interaction.channelId,
    action: event.action,
    value: event.value,
    ...(event.messageId !== undefined && { messageId: event.messageId }),
  }).catch(() => false);
  const answer = await Promise.race([look, late]);
  clearTimeout(timer);
  return answer ? undefined : form;
}
