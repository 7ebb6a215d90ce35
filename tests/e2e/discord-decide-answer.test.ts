/**
 * Through Discord: a step fails and asks what to do. Whoever presses Skip (or Retry, Roll back) on the decision's
 * message is told privately what they decided, as `/deploy decide` says it (the press was answered "Done.").
 */
import { beforeAll, expect, it } from 'vitest';
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
steps:
  - { id: build, title: Build, run: "exit 3", on_failure: ask }
  - { id: ship, title: Ship, run: "true" }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`;

const suite = useDiscordSuite(RUNBOOK);
let h: DiscordHarness;
beforeAll(() => {
  h = suite.h;
});

it('tells the person who pressed Skip what they decided', async () => {
  h.command(ALICE, 'deploy', 'start', { service: 'svc', version: 'v1.0.0' });
  const root = await h.waitFor('the status message', () =>
    h.fake.world.messages.find((m) => m.channel_id === DEPLOY_CHANNEL_ID && m.content.includes('svc v1.0.0')),
  );
  const decision = await h.waitFor('the decision', inThread(h, root.id, 'Decision needed'), 30_000);
  const skip = JSON.stringify(decision.components).match(/decide\|svc-1:skip:\d+/)?.[0] ?? '';
  expect(await h.answer(h.click(BOB, decision, skip))).toEqual({
    kind: 'edit',
    content: 'svc-1: decided skip (step "Build").',
    ephemeral: true,
  });
  await h.waitForState('svc-1', ['succeeded']);
}, 60_000);
