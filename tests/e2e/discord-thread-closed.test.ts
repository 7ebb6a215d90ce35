/**
 * A deployment's Discord thread that takes no more of Preflight's posts (a moderator archived and locked it): its
 * first reply refused is given up and logged, the later ones without asking Discord again (nor logging each), and
 * the requester is told once by direct message that nobody can approve its gates there and what to do; the channel
 * goes on, so the next requester's deployment shows up. A deleted thread is started anew in its channel, once, with
 * what still waits for an answer and what was pending posted there.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DiscordHarness } from '../helpers/discord-harness.ts';
import { ALICE, BOB, CAROL, DAVE, inThread, useDiscordSandbox } from '../helpers/discord-suite.ts';
import { DEPLOY_CHANNEL_ID, type FakeDiscordMessage } from '../helpers/fake-discord.ts';
import { GUILD_ID } from '../helpers/fake-discord-state.ts';

const harness = useDiscordSandbox();
let h: DiscordHarness;
beforeAll(() => {
  h = harness();
});

const toPerson = (user: string, text: string) =>
  h.fake.world.messages.filter(
    (m) => h.fake.world.channels.get(m.channel_id)?.recipient === user && m.content.includes(text),
  );
/** discord.js tries a request 4 times on 5xx: Discord fails all of them. */
const BAD_MOMENT = 4;
/** The posts and edits Preflight tried in `thread` that Discord refused. */
const triedIn = (thread: string) =>
  h.fake.world.calls.filter((c) => c.path.startsWith(`/channels/${thread}/messages`) && c.status >= 400);

/** A route that matches only while `on`. */
class Switched extends RegExp {
  on = true;
  override test(text: string): boolean {
    return this.on && super.test(text);
  }
}

/** `requester` starts toy `version`; resolves once its checklist is in its thread. */
async function startWithChecklist(requester: string, version: string) {
  const answer = await h.answer(h.command(requester, 'deploy', 'start', { service: 'toy', version }));
  expect(answer.content).toContain(`toy ${version}`);
  const id = /toy-\d+/.exec(answer.content)?.[0] ?? '';
  const root = await h.waitFor('the status message', () =>
    h.fake.world.messages.find(
      (m) => m.channel_id === DEPLOY_CHANNEL_ID && m.content.includes(`toy ${version}`),
    ),
  );
  const items = [
    await h.waitFor('release notes', inThread(h, root.id, '☐ **Release notes reviewed**')),
    await h.waitFor('scan', inThread(h, root.id, '☐ **Dependency scan')),
    await h.waitFor('support', inThread(h, root.id, '☐ **Support knows')),
  ];
  return { id, root, items };
}

/** The owners tick the checklist, so the gates are due in the thread. */
function tick(items: readonly FakeDiscordMessage[]): void {
  [BOB, DAVE, CAROL].forEach((owner, i) => {
    const item = items[i];
    if (item) h.react(owner, item, '✅');
  });
}

/** Closes the thread of `requester`'s deployment of toy `version` once its checklist is in it; ticks it. */
async function gatesInClosedThread(requester: string, version: string, close: (thread: string) => void) {
  const started = await startWithChecklist(requester, version);
  close(started.root.id);
  tick(started.items);
  const { id } = started;
  await h.waitFor('the requester told', () => toPerson(requester, `${id}'s thread`)[0], 60_000);
  return started;
}

describe('a Discord thread that takes no more posts', () => {
  it('a locked thread: the requester is told once, and the next deployment shows up', async () => {
    const { id, root } = await gatesInClosedThread(ALICE, 'v1.3.0', (thread) =>
      h.fake.world.lockedThreads.add(thread),
    );
    const told = await h.waitFor('the direct message', () => toPerson(ALICE, `${id}'s thread`)[0]);
    expect(told.content).toContain('takes no more of Preflight');
    expect(told.content).toContain('Discord answered 50083');
    expect(told.content).toContain('nobody can approve its gates');
    expect(told.content).toContain(`/deploy abort ${id}`);
    expect(toPerson(ALICE, `${id}'s thread`)).toHaveLength(1);
    expect(
      h.fake.world.messages.filter((m) => m.channel_id === root.id && m.content.includes('gate')),
    ).toEqual([]);

    // Discord takes no answer to a command typed in the locked thread: it comes by direct message.
    h.command(BOB, 'deploy', 'status', {}, { channel: root.id });
    const status = await h.waitFor('the status by DM', () => toPerson(BOB, 'toy v1.3.0')[0], 30_000);
    expect(status.content).toContain(
      'Discord lets Preflight take /deploy status but not answer it in that thread (it is archived and locked)',
    );
    expect(status.content).toContain('toy-1: toy v1.3.0 → production, waiting for approvals');
    expect(status.content).toContain(
      "This deployment's thread in #deployments takes no more of Preflight's posts (it was archived and locked)",
    );
    expect(status.content).toContain(`follow it here with /deploy status ${id} (its requester was told`);
    await h.answer(h.command(ALICE, 'deploy', 'abort', { id }));
    await h.waitForState(id, ['aborted']);
    const next = await startWithChecklist(BOB, 'v1.3.1');
    // Discord having a bad moment in the next thread is not a closed thread: its gates go once it is back.
    const route = new RegExp(`^/channels/${next.root.id}/messages$`);
    h.fake.failNext(route, 500, BAD_MOMENT);
    tick(next.items);
    await h.waitFor('the next gates', inThread(h, next.root.id, 'Operations sign-off** gate'));
    const gates = h.fake.world.messages.filter(
      (m) => m.channel_id === next.root.id && m.content.includes('** gate'),
    );
    expect(gates.map((m) => m.content.split('** gate')[0])).toEqual([
      expect.stringContaining('Security sign-off'),
      expect.stringContaining('Operations sign-off'),
    ]);
    expect(h.fake.world.calls.filter((c) => route.test(c.path)).map((c) => c.status)).toContain(500);
    expect(toPerson(ALICE, `${id}'s thread`)).toHaveLength(1);
    expect(toPerson(BOB, `${next.id}'s thread`)).toEqual([]);
    // The closed thread was asked once (the first checklist edit): its gates and report went without a request.
    expect(triedIn(root.id)).toHaveLength(1);
    const dropped = h.logs
      .flatMap((chunk) => chunk.split('\n'))
      .filter((l) => l.includes('"msg":"chat message dropped"') && l.includes(`"key":"${id}:`));
    expect(dropped).toHaveLength(1);
    await h.answer(h.command(BOB, 'deploy', 'abort', { id: next.id }));
    await h.waitForState(next.id, ['aborted']);
  }, 150_000);

  it('a deleted thread: a new one takes its place, once, and what waited goes there', async () => {
    const { id, root } = await startWithChecklist(BOB, 'v1.3.2');
    h.fake.world.channels.delete(root.id);
    // Discord fails to start the new thread until the bot restarts: nothing is posted twice for that.
    const threadStart = new Switched(`^/channels/${DEPLOY_CHANNEL_ID}/messages/\\d+/threads$`);
    h.fake.failNext(threadStart, 500, 10_000);
    // Said in the thread: Discord answers 10003 (Unknown Channel), so the thread is started anew.
    await h.answer(h.command(BOB, 'deploy', 'pause', { id }));
    const statuses = () =>
      h.fake.world.messages.filter(
        (m) => m.channel_id === DEPLOY_CHANNEL_ID && m.content.includes('toy v1.3.2'),
      );
    const anew = await h.waitFor('a new status message', () => statuses()[1], 60_000);
    await h.waitFor('the new thread refused', () =>
      h.fake.world.calls.find((c) => threadStart.test(c.path) && c.status === 500),
    );
    await h.restart(() => {
      threadStart.on = false;
    });
    const paused = await h.waitFor('the pause in the new thread', inThread(h, anew.id, 'paused'));
    const said = (text: string) =>
      h.fake.world.messages.filter((m) => m.channel_id === anew.id && m.content.includes(text));
    expect(said('earlier thread was deleted')).toHaveLength(1);
    expect(said('earlier thread was deleted')[0]?.content).toContain(`/deploy status ${id}`);
    // The checklist items still waiting for their owners are posted again, before what was pending.
    const items = [
      await h.waitFor('release notes', inThread(h, anew.id, '☐ **Release notes reviewed**')),
      await h.waitFor('scan', inThread(h, anew.id, '☐ **Dependency scan')),
      await h.waitFor('support', inThread(h, anew.id, '☐ **Support knows')),
    ];
    const order = h.fake.world.messages.filter((m) => m.channel_id === anew.id).map((m) => m.id);
    expect(order.indexOf(said('earlier thread was deleted')[0]?.id ?? '')).toBe(0);
    for (const item of items) expect(order.indexOf(item.id)).toBeLessThan(order.indexOf(paused.id));
    expect(toPerson(BOB, `${id}'s thread`)).toEqual([]);
    // The old status message says it is no longer updated, and where the deployment goes on.
    expect(root.content).toContain('its thread was deleted');
    expect(root.content).toContain(`/channels/${GUILD_ID}/${anew.id}`);

    // After a restart the new thread is the deployment's: its ticks count, its gates and its status go there.
    await h.restart();
    await h.answer(h.command(BOB, 'deploy', 'resume', { id }));
    tick(items);
    await h.waitFor(
      'the gates in the new thread',
      inThread(h, anew.id, 'Operations sign-off** gate'),
      60_000,
    );
    await h.waitFor('the status edited', () =>
      anew.content.includes('waiting for approvals') ? anew : undefined,
    );
    const status = await h.answer(h.command(CAROL, 'deploy', 'status', { id }));
    expect(status.content).not.toContain('takes no more of Preflight');
    await h.answer(h.command(BOB, 'deploy', 'abort', { id }));
    await h.waitForState(id, ['aborted']);
    await h.waitFor('the report in the new thread', inThread(h, anew.id, 'aborted'));
    expect(statuses()).toHaveLength(2);
    expect(said('earlier thread was deleted')).toHaveLength(1);
    // Each message is in the new thread once: the item posted again was edited there when ticked.
    expect(said('**Release notes reviewed**').filter((m) => !m.content.includes('**Report**'))).toHaveLength(
      1,
    );
    expect(
      h.fake.world.messages.filter((m) => m.channel_id === root.id && m.content.includes('paused')),
    ).toEqual([]);
  }, 150_000);
});
