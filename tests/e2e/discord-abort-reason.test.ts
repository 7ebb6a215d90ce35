/**
 * The reason typed on Discord's /deploy abort reaches Discord only as literal text: no `@everyone` or `@here`, no
 * mention, link, heading or bold made of it, and no credential in it, in the status message, the report and the
 * answers; the outcome around it stays Preflight's own words.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { discordBlocks, discordLinks, discordShows } from '../helpers/chat-markup.ts';
import type { DiscordHarness } from '../helpers/discord-harness.ts';
import { ALICE, useDiscordSandbox } from '../helpers/discord-suite.ts';
import { DEPLOY_CHANNEL_ID } from '../helpers/fake-discord.ts';

const TOKEN = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
const REASON = `@everyone @here <@200000000000000003> [docs](https://evil.example/x) **now** ||s|| \`\`\` # head ${TOKEN}`;
const OWN_LINK = /^https:\/\/discord\.com\/channels\//;

const harness = useDiscordSandbox();
let h: DiscordHarness;
beforeAll(() => {
  h = harness();
});

/** Every text Discord was handed: message contents (posts, edits, follow-ups) and interaction answers. */
function everythingSent(): string[] {
  const texts: string[] = [];
  for (const call of h.fake.world.calls)
    if (typeof call.body.content === 'string') texts.push(call.body.content);
  for (const answer of h.fake.world.answers) {
    const data = (answer.body.data ?? answer.body) as { content?: unknown };
    if (typeof data.content === 'string') texts.push(data.content);
  }
  return texts;
}

describe('an abort reason typed on Discord', () => {
  it('is shown as written, without live markup or a credential, in Preflight’s own sentence', async () => {
    h.command(ALICE, 'deploy', 'start', { service: 'toy', version: 'v1.9.0' });
    await h.waitFor('the status message', () =>
      h.fake.world.messages.find(
        (m) => m.channel_id === DEPLOY_CHANNEL_ID && m.content.includes('toy v1.9.0'),
      ),
    );
    const answer = await h.answer(h.command(ALICE, 'deploy', 'abort', { id: 'toy-1', reason: REASON }));
    expect(answer.content).toBe('toy-1: deployment aborted.');
    await h.waitForState('toy-1', ['aborted']);
    const status = await h.waitFor('the status message, aborted', () =>
      h.fake.world.messages.find(
        (m) => m.channel_id === DEPLOY_CHANNEL_ID && m.content.includes('(toy-1): aborted'),
      ),
    );
    const outcome = status.content.split('\n').find((line) => line.startsWith('Outcome: ')) ?? '';
    expect(outcome).toMatch(/^Outcome: aborted by Alice Adams \(DevOps on-call\): /);
    expect(discordShows(outcome)).toContain('[docs](https://evil.example/x) **now** ||s||');
    await h.answer(h.command(ALICE, 'deploy', 'status', { id: 'toy-1' }));

    const texts = everythingSent();
    expect(texts.join('\n')).toContain('evil.example');
    expect(texts.join('\n')).not.toContain(TOKEN);
    for (const text of texts) {
      expect(text).not.toMatch(/@(everyone|here)/);
      expect(text).not.toContain('<@200000000000000003>');
      expect(discordLinks(text).filter((url) => !OWN_LINK.test(url))).toEqual([]);
      expect(discordBlocks(text)).toEqual([]);
      expect(text).not.toMatch(/(^|[^\\])\*\*now/);
    }
  }, 90_000);
});
