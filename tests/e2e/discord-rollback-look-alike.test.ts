/**
 * Through Discord: an incident about a deployment offers a rollback by 🔄 on its message. Someone who may roll back
 * reacts 🔁 (or 🔃) instead: nothing is asked for, and they are told privately which emoji asks, and the button and
 * command, rather than left waiting for a rollback that never comes. A bystander's 🔁 is only a reaction.
 */
import { beforeAll, expect, it } from 'vitest';
import type { DiscordHarness } from '../helpers/discord-harness.ts';
import { useDiscordSuite } from '../helpers/discord-runbook-suite.ts';
import { ALICE, BOB, CAROL, inThread } from '../helpers/discord-suite.ts';
import { DEPLOY_CHANNEL_ID, INCIDENT_CHANNEL_ID } from '../helpers/fake-discord.ts';

const RUNBOOK = `version: 1
service: svc
timezone: UTC
environments: { production: { default: true } }
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  ann: { name: Ann, discord: "${ALICE}" }
  ben: { name: Ben, discord: "${BOB}" }
  cat: { name: Cat, discord: "${CAROL}" }
groups: { ops: [ann, ben], watchers: [cat] }
permissions: { deploy: [ops], rollback: [ops], incident: [ops] }
steps:
  - { id: build, title: Build, run: "true" }
rollback:
  steps:
    - { id: undo, title: Undo, run: "true" }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`;

const suite = useDiscordSuite(RUNBOOK);
let h: DiscordHarness;
beforeAll(() => {
  h = suite.h;
});

const dmsTo = (user: string) =>
  h.fake.world.messages.filter((m) => h.fake.world.channels.get(m.channel_id)?.recipient === user);

it('tells one who may roll back that 🔁 asks for nothing, and asks for nothing', async () => {
  h.command(ALICE, 'deploy', 'start', { service: 'svc', version: 'v1.0.0' });
  await h.waitForState('svc-1', ['succeeded']);
  h.command(ALICE, 'incident', 'open', { target: 'svc-1', what: 'errors' });
  const incident = await h.waitFor('the incident message', () =>
    h.fake.world.messages.find(
      (m) =>
        m.channel_id === INCIDENT_CHANNEL_ID && JSON.stringify(m.components).includes('rollback.request'),
    ),
  );
  h.react(CAROL, incident, '🔁');
  h.react(BOB, incident, '🔁');
  const told = await h.waitFor('Ben told', () => dmsTo(BOB)[0]);
  expect(told.content).toBe(
    "⚠️ a 🔁 asks for nothing, so no rollback of svc-1 was asked: react 🔄 on the incident's message, press its Roll back svc-1 button, or type `/rollback svc-1`",
  );
  h.react(BOB, incident, '🔄');
  await h.waitForState('svc-1', ['rolled_back']);
  const root = h.fake.world.messages.find(
    (m) => m.channel_id === DEPLOY_CHANNEL_ID && m.content.includes('svc v1.0.0'),
  );
  await h.waitFor('the rollback asked by Ben', inThread(h, root?.id ?? '', 'reacted 🔄'));
  expect(dmsTo(CAROL)).toEqual([]);
  expect(dmsTo(BOB)).toHaveLength(1);
}, 90_000);
