/** A message over Discord's 2,000 characters whose text is one long line (a step's output without line breaks). */
import { describe, expect, it } from 'vitest';
import { buildDiscordMessage } from '../../../src/bot/discord/discord-message.ts';

describe('a long line cut to fit one Discord message', () => {
  it('is cut between characters, never through an emoji, and comes whole as a file', () => {
    const line = `x${'🔥'.repeat(1_100)}`;
    const built = buildDiscordMessage({ text: line });
    const content = built.body.content ?? '';
    expect(content.length).toBeLessThanOrEqual(2_000);
    expect(content.isWellFormed()).toBe(true);
    expect(content).toMatch(/^x(🔥)+\n… \(the whole text is attached as message\.txt\)$/u);
    expect(built.files.map((f) => [f.name, f.data.toString('utf8')])).toEqual([['message.txt', line]]);
  });
});
