/** Discord may ping only the users Preflight mentions in its own words, never one in outside text or in code. */
import { describe, expect, it } from 'vitest';
import { buildDiscordMessage } from '../../../src/bot/discord/discord-message.ts';
import { literal } from '../../../src/core/index.ts';

describe('the mentions a Discord message allows', () => {
  it('are the users Preflight mentions, once each, and none from outside text or code', () => {
    const text = [
      `🔔 <@111> and <@!222>, paged for ${literal('ask <@333> @everyone')}: <@111>`,
      'Step output:\n```\n<@444> <@&555>\n```',
      'Answer with `/ack <@666>`.',
    ].join('\n');
    expect(buildDiscordMessage({ text }).body.allowed_mentions).toEqual({ parse: [], users: ['111', '222'] });
  });

  it('allow nobody in a message that mentions nobody', () => {
    expect(buildDiscordMessage({ text: '✅ @everyone <#123> done' }).body.allowed_mentions).toEqual({
      parse: [],
      users: [],
    });
  });
});
