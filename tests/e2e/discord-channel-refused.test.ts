/**
 * A Discord channel that refuses Preflight (Missing Access, or Missing Permissions to start threads), as on Slack:
 * the requester is told once by direct message what to fix, and once Preflight is let in the thread appears with
 * what waits in it, and the deployment goes on.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DiscordHarness } from '../helpers/discord-harness.ts';
import { ALICE, BOB, inThread, useDiscordSandbox } from '../helpers/discord-suite.ts';
import { DEPLOY_CHANNEL_ID, INCIDENT_CHANNEL_ID } from '../helpers/fake-discord.ts';

const harness = useDiscordSandbox();
let h: DiscordHarness;
beforeAll(() => {
  h = harness();
});

const toAlice = (text: string) =>
  h.fake.world.messages.filter(
    (m) => h.fake.world.channels.get(m.channel_id)?.recipient === ALICE && m.content.includes(text),
  );
const inDeploy = () => h.fake.world.messages.filter((m) => m.channel_id === DEPLOY_CHANNEL_ID);

describe('a Discord channel that refuses Preflight', () => {
  it('tells the requester once, and shows the thread once let in', async () => {
    h.fake.world.refused.set(DEPLOY_CHANNEL_ID, 50001);
    const answer = await h.answer(h.command(ALICE, 'deploy', 'start', { service: 'toy', version: 'v1.3.0' }));
    // Not sent to follow it where nothing shows: told what happens to it and what to do.
    expect(answer.content).not.toContain('Follow it in');
    expect(answer.content).toContain(
      `Starting toy-1: toy v1.3.0 → production. ⚠️ Its thread could not be posted in <#${DEPLOY_CHANNEL_ID}>: Preflight's posts there are refused`,
    );
    expect(answer.content).toContain('toy-1 has started and waits');
    expect(answer.content).toContain('`/deploy abort toy-1`');
    const told = await h.waitFor('the direct message', () => toAlice('toy-1')[0], 20_000);
    expect(told.content).toContain("⚠️ Preflight's posts in #deployments are refused (");
    expect(told.content).toContain('Discord answered 50001 (Missing Access)');
    expect(told.content).toContain('nobody can approve its gates');
    await new Promise((r) => setTimeout(r, 1_500));
    expect(toAlice('toy-1')).toHaveLength(1);
    expect(inDeploy()).toEqual([]);

    h.fake.world.refused.delete(DEPLOY_CHANNEL_ID);
    const root = await h.waitFor('the status message', () => inDeploy()[0], 90_000);
    expect(root.content).toContain('toy v1.3.0');
    await h.waitFor('the checklist item', inThread(h, root.id, '☐ **Release notes reviewed**'), 20_000);
  }, 150_000);

  it('tells the requester once when only threads are refused, and the thread appears once let in', async () => {
    await h.answer(h.command(BOB, 'deploy', 'abort', { id: 'toy-1' }));
    await h.waitForState('toy-1', ['aborted']);
    h.fake.world.threadsRefused.add(DEPLOY_CHANNEL_ID);
    await h.answer(h.command(ALICE, 'deploy', 'start', { service: 'toy', version: 'v1.3.1' }));
    const told = await h.waitFor('the direct message', () => toAlice('toy-2')[0], 20_000);
    expect(told.content).toContain('cannot start a thread: Discord answered 50013 (Missing Permissions)');
    expect(told.content).toContain("the new messages in toy-2's thread");

    h.fake.world.threadsRefused.delete(DEPLOY_CHANNEL_ID);
    const root = await h.waitFor('the status message', () =>
      inDeploy().find((m) => m.content.includes('toy v1.3.1')),
    );
    await h.waitFor('the checklist item', inThread(h, root.id, '☐ **Release notes reviewed**'), 90_000);
    expect(toAlice('toy-2')).toHaveLength(1);
  }, 150_000);

  it('answers an incident opened in a channel that refuses Preflight: open, paging, and what to do', async () => {
    h.fake.world.refused.set(INCIDENT_CHANNEL_ID, 50001);
    const answer = await h.answer(
      h.command(ALICE, 'incident', 'open', { target: 'toy', what: 'toy is down' }),
    );
    expect(answer.content).not.toContain(`opened in <#${INCIDENT_CHANNEL_ID}>`);
    expect(answer.content).toMatch(/^🚨 INC-1 opened for toy production; paging L1\./);
    expect(answer.content).toContain(
      `⚠️ Its post could not be made in <#${INCIDENT_CHANNEL_ID}>: Preflight's posts there are refused`,
    );
    expect(answer.content).toContain(
      'INC-1 is open all the same, and its pages go to each paged person directly',
    );
    expect(answer.content).toContain('`/ack INC-1`');
    const incident = await h.preflight().engine.incidents.get('INC-1');
    expect(incident?.state).toBe('open');
    // The page goes out all the same, to each paged person directly.
    const page = await h.waitFor(
      'the page by direct message',
      () =>
        h.fake.world.messages.find(
          (m) =>
            h.fake.world.channels.get(m.channel_id)?.recipient !== undefined &&
            m.content.includes('so this page comes to you directly') &&
            m.content.includes('INC-1'),
        ),
      20_000,
    );
    expect(page.content).toContain('/ack INC-1');
  }, 60_000);
});
