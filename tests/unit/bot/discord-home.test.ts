/** Which Discord inputs are Preflight's with DISCORD_GUILD_ID set, and without it. */
import { describe, expect, it } from 'vitest';
import { createDiscordHome } from '../../../src/bot/discord/discord-home.ts';

const HOME = '1270000000000000000';
const OTHER = '1390000000000000000';

function homeWith(guildId: string | undefined, name?: string) {
  const warned: object[] = [];
  const log = { debug() {}, info() {}, error() {}, warn: (obj: object) => warned.push(obj) };
  return { home: createDiscordHome({ guildId, guildName: () => name, log }), warned };
}

describe('Preflight’s Discord server', () => {
  it('admits its server, and reactions in direct messages (pages), nothing else', () => {
    const { home } = homeWith(HOME);
    expect(home.admits('interaction', HOME)).toBe(true);
    expect(home.admits('reaction', HOME)).toBe(true);
    expect(home.admits('reaction', null)).toBe(true);
    expect(home.admits('interaction', null)).toBe(false);
    expect(home.admits('interaction', OTHER)).toBe(false);
    expect(home.admits('reaction', OTHER)).toBe(false);
  });

  it('admits every server without DISCORD_GUILD_ID', () => {
    const { home } = homeWith(undefined);
    for (const kind of ['interaction', 'reaction'] as const)
      for (const guild of [HOME, OTHER, null]) expect(home.admits(kind, guild)).toBe(true);
  });

  it('names the server (its id when its name is unknown) and logs once per server and person', () => {
    const named = homeWith(HOME, 'Ops *team*');
    expect(named.home.refusal(OTHER, 'u1')).toBe(
      '⚠️ Preflight answers only in the Discord server **Ops \\*team\\***, so nothing was done here: run the command there.',
    );
    named.home.refusal(OTHER, 'u1');
    named.home.refusal(null, 'u1');
    named.home.refusal(OTHER, 'u2');
    expect(named.warned).toEqual([
      { guild: OTHER, user: 'u1' },
      { user: 'u1' },
      { guild: OTHER, user: 'u2' },
    ]);
    expect(homeWith(HOME).home.refusal(OTHER, 'u1')).toContain(`the Discord server ${HOME}, so`);
  });
});
