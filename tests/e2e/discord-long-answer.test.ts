/**
 * An answer longer than one Discord message (a whole runbook's plan) reaches its person whole, as on Slack: its
 * start shows within Discord's 2,000 characters and the whole text comes attached, privately or in the channel as
 * the answer is meant.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DiscordHarness } from '../helpers/discord-harness.ts';
import { ERIN, useDiscordSandbox } from '../helpers/discord-suite.ts';

const harness = useDiscordSandbox();
let h: DiscordHarness;
beforeAll(() => {
  h = harness();
});

describe('a long answer on Discord', () => {
  it('shows its start and attaches the whole of it', async () => {
    const sent = h.command(ERIN, 'deploy', 'plan', { service: 'toy' });
    const answer = await h.answer(sent);
    expect(answer).toMatchObject({ kind: 'edit', ephemeral: true });
    expect(answer.content.length).toBeLessThanOrEqual(2_000);
    expect(answer.content).toMatch(/^Plan: toy → production/);
    expect(answer.content).toMatch(/… \(the whole answer is attached as answer\.txt\)$/);
    const edit = h.fake.world.answers.find((a) => a.token === sent.token && a.kind === 'edit');
    const file = edit?.files?.find((f) => f.name === 'answer.txt');
    // The end of the plan (its escalation levels) is in the file, in plain text.
    expect(file?.content).toMatch(/^Plan: toy → production/);
    expect(file?.content).toContain('L3');
    expect(file?.content.length).toBeGreaterThan(2_000);
  }, 60_000);
});
