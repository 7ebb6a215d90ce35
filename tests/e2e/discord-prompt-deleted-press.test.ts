/**
 * On Discord someone deletes a gate's prompt and the gateway tells Preflight (MESSAGE_DELETE); Preflight posts it
 * again in its thread. The approver sees the new prompt as soon as Discord shows it and presses Approve at once,
 * before Preflight has heard Discord's answer to that post (so before its message index names the new message). The
 * press counts, as a ✅ there would: the gate is approved by him and the deployment goes on. The same for the prompt
 * posted again in a thread started anew, its status message deleted.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DiscordHarness, Sent } from '../helpers/discord-harness.ts';
import { entryHandled } from '../helpers/discord-inbox.ts';
import { useDiscordSuite } from '../helpers/discord-runbook-suite.ts';
import { ALICE, BOB } from '../helpers/discord-suite.ts';
import { DEPLOY_CHANNEL_ID, type FakeDiscordMessage } from '../helpers/fake-discord.ts';

const RUNBOOK = `version: 1
service: svc
timezone: UTC
environments: { production: { default: true }, staging: {} }
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  ann: { name: Ann, discord: "${ALICE}" }
  ben: { name: Ben, discord: "${BOB}" }
groups: { ops: [ann, ben] }
permissions: { deploy: [ops], rollback: [ops] }
gates:
  go: { title: Go, approvers: [ops], required: 1 }
steps:
  - { id: build, title: Build, needs: [go], run: "true" }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`;

const suite = useDiscordSuite(RUNBOOK);
let h: DiscordHarness;
beforeAll(() => {
  h = suite.h;
});

/** The message Preflight's index names for `key` of deployment `id`, as the fake Discord holds it. */
async function messageOf(id: string, key: string): Promise<FakeDiscordMessage> {
  return h.waitFor(`${id}'s ${key}`, async () => {
    const ref = await h.preflight().chat.index.find(id, key);
    return ref && h.fake.world.message(ref.id);
  });
}

/**
 * Ben presses Approve on the gate's prompt posted again in a thread `where` accepts, while Discord's answer to that
 * post waits until the bot has handled his press once. Resolves what the press's answer says, once given.
 */
function approveAsSoonAsPosted(where: (thread: string) => boolean): () => Promise<string> {
  let sent: Sent | undefined;
  let failure: unknown;
  h.fake.beforePostAnswer(async (posted) => {
    const again =
      h.fake.world.channels.get(posted.channel_id)?.type === 11 &&
      where(posted.channel_id) &&
      posted.content.includes('**Go** gate');
    if (!again || sent !== undefined) return;
    try {
      const approve = /gate\.approve\|[^"]+/.exec(JSON.stringify(posted.components))?.[0];
      if (!approve) throw new Error(`the gate posted again has no Approve button: ${posted.content}`);
      sent = h.click(BOB, posted, approve);
      await entryHandled(h, `interaction:${sent.id}`, true);
    } catch (error) {
      failure = error;
    }
  });
  return async () => {
    const pressed = await h.waitFor(
      'the press on the gate posted again',
      () => {
        if (failure !== undefined) throw failure;
        return sent;
      },
      30_000,
    );
    const answer = await h.answer(pressed);
    h.fake.beforePostAnswer(undefined);
    return answer.content;
  };
}

describe('a press on a prompt posted again, before Discord has answered its post', () => {
  it('approves the gate instead of being refused', async () => {
    h.command(ALICE, 'deploy', 'start', { service: 'svc', version: 'v1.0.0' });
    await h.waitForState('svc-1', ['awaiting_gates']);
    const root = await messageOf('svc-1', 'status');
    const gate = await messageOf('svc-1', 'gate:go');
    expect(gate.channel_id).toBe(root.id);
    const answer = approveAsSoonAsPosted((thread) => thread === root.id);
    h.deleteMessage(gate);

    const said = await answer();
    expect(said).not.toContain('⚠️');
    expect(said).toContain('approved');
    await h.waitForState('svc-1', ['succeeded'], 60_000);
    const approvals = (await h.preflight().engine.store.get('svc-1'))?.gates[0]?.approvals ?? [];
    expect(approvals.map((a) => a.by)).toEqual(['ben']);
    const again = await messageOf('svc-1', 'gate:go');
    expect(again.id).not.toBe(gate.id);
    expect(again.channel_id).toBe(root.id);
  }, 90_000);

  it('approves the gate posted again in a thread started anew, its status message deleted', async () => {
    h.command(ALICE, 'deploy', 'start', { service: 'svc', version: 'v1.0.1', environment: 'staging' });
    await h.waitForState('svc-2', ['awaiting_gates']);
    await messageOf('svc-2', 'gate:go');
    const status = await messageOf('svc-2', 'status');
    expect(status.channel_id).toBe(DEPLOY_CHANNEL_ID);
    const answer = approveAsSoonAsPosted((thread) => thread !== status.id);
    h.deleteMessage(status);

    const said = await answer();
    expect(said).not.toContain('⚠️');
    expect(said).toContain('approved');
    await h.waitForState('svc-2', ['succeeded'], 60_000);
    const approvals = (await h.preflight().engine.store.get('svc-2'))?.gates[0]?.approvals ?? [];
    expect(approvals.map((a) => a.by)).toEqual(['ben']);
    const anew = await messageOf('svc-2', 'status');
    expect(anew.id).not.toBe(status.id);
    const gate = await messageOf('svc-2', 'gate:go');
    expect(gate.channel_id).toBe(anew.id);
  }, 90_000);
});
