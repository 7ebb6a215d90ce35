/**
 * Markdown in what people type shows as written on Discord: an incident's title in its post and in every page sent by
 * DM, a lock's reason in the public announcement, a resolve note in the thread. Preflight's own bold, mentions and
 * thread links in the same messages still work.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { discordBlocks, discordLinks, discordShows } from '../helpers/chat-markup.ts';
import type { DiscordHarness } from '../helpers/discord-harness.ts';
import { ALICE, useDiscordSandbox } from '../helpers/discord-suite.ts';
import { INCIDENT_CHANNEL_ID } from '../helpers/fake-discord.ts';

const TITLE = 'toy down [toy-1 thread](https://evil.example/x) **b** ||s|| `x`';
const NOTE = 'fixed\n# H1 [docs](https://evil.example/y)\n> quoted';
const OWN_LINK = /^https:\/\/discord\.com\/channels\//;

const harness = useDiscordSandbox();
let h: DiscordHarness;
beforeAll(() => {
  h = harness();
});

/** What a person sees of a message: no link but Preflight's own, no heading or quote, the words as typed. */
function expectShownAsWritten(content: string, typed: string) {
  expect(discordLinks(content).filter((url) => !OWN_LINK.test(url))).toEqual([]);
  expect(discordBlocks(content)).toEqual([]);
  expect(discordShows(content)).toContain(typed);
}

describe('markdown typed into Discord', () => {
  it('shows as written in the incident, its pages, the lock announcement and the resolve note', async () => {
    await h.answer(h.command(ALICE, 'incident', 'open', { target: 'toy', what: TITLE }));
    const root = await h.waitFor('the incident post', () =>
      h.fake.world.messages.find((m) => m.channel_id === INCIDENT_CHANNEL_ID && m.content.includes('INC-1')),
    );
    expect(root.content).toMatch(/^🚨 \*\*INC-1\*\* toy production: /);
    expectShownAsWritten(root.content, TITLE);
    const pages = await h.waitFor('the pages sent by DM', () => {
      const found = h.fake.world.messages.filter((m) => m.content.startsWith('🔔 You are paged'));
      return found.length > 0 && found;
    });
    for (const page of pages) {
      expectShownAsWritten(page.content, TITLE);
      // Preflight's own channel mention, and its thread link once the thread is known, still work.
      expect(page.content).toMatch(
        new RegExp(
          `\\. Answer in <#${INCIDENT_CHANNEL_ID}>( \\(\\[INC-1 thread\\]\\(https://discord\\.com/channels/[\\d/]+\\)\\))? with \`/ack INC-1\`\\.$`,
        ),
      );
    }

    const lock = await h.answer(
      h.command(ALICE, 'deploy', 'lock', { service: 'toy', environment: 'staging', reason: TITLE }),
    );
    expect(lock.ephemeral).toBe(false);
    expectShownAsWritten(lock.content, TITLE);

    const answer = await h.answer(h.command(ALICE, 'incident', 'resolve', { id: 'INC-1', note: NOTE }));
    // Preflight's own link to the thread is still a link.
    expect(discordLinks(answer.content)).toEqual([expect.stringMatching(OWN_LINK)]);
    const note = await h.waitFor('the resolve note', () =>
      h.fake.world.messages.find((m) => m.channel_id === root.id && m.content.includes('resolved INC-1')),
    );
    expect(note.content).toMatch(/^✅ <@200000000000000001> resolved INC-1: /);
    expectShownAsWritten(note.content, NOTE);
    const resolved = await h.waitFor('the incident post, resolved', () => {
      const now = h.fake.world.message(root.id);
      return now?.content.startsWith('✅') && now;
    });
    expectShownAsWritten(resolved.content, NOTE);
  }, 90_000);
});
