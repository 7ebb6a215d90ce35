/**
 * Through Discord's gateway: Redis does not answer for a few seconds just as an approver reacts ✅ on a gate. Discord
 * delivers a reaction once and never again, so the bot tries to record it again until Redis takes it: the approval
 * counts once Redis is back, and the deployment goes on (the ✅ stayed on the message and never counted).
 */
import { beforeAll, expect, it } from 'vitest';
import { SECOND_PASS_MS } from '../../src/bot/catch-up-reactions.ts';
import type { DiscordHarness } from '../helpers/discord-harness.ts';
import { useDiscordSuite } from '../helpers/discord-runbook-suite.ts';
import { ALICE, BOB, inThread } from '../helpers/discord-suite.ts';
import { DEPLOY_CHANNEL_ID } from '../helpers/fake-discord.ts';

const RUNBOOK = `version: 1
service: svc
timezone: UTC
environments: { production: { default: true } }
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

it('counts a ✅ made while Redis did not answer, once Redis is back', async () => {
  const started = Date.now();
  h.command(ALICE, 'deploy', 'start', { service: 'svc', version: 'v1.0.0' });
  const root = await h.waitFor('the status message', () =>
    h.fake.world.messages.find((m) => m.channel_id === DEPLOY_CHANNEL_ID && m.content.includes('svc v1.0.0')),
  );
  const gate = await h.waitFor('the gate', inThread(h, root.id, '**Go** gate'));
  // After the start's read-back passes, which would find the ✅ on the message by themselves.
  await new Promise((r) => setTimeout(r, Math.max(0, started + SECOND_PASS_MS + 1_000 - Date.now())));
  await suite.redis.kill();
  h.react(BOB, gate, '✅');
  await new Promise((r) => setTimeout(r, 2_000));
  await suite.redis.restart();
  await h.waitFor('the approval in the thread', inThread(h, root.id, '**Go** gate approved'), 30_000);
  const d = await h.waitForState('svc-1', ['succeeded']);
  expect(d.gates[0]?.approvals.map((a) => a.by)).toEqual(['ben']);
}, 90_000);
