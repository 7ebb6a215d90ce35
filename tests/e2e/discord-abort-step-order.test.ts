/**
 * `/deploy abort` while a step runs, on Discord: the deployment's thread says the step was stopped before the report
 * says the deployment was aborted, as on Slack (slack-abort-step-order.test.ts).
 */
import { beforeAll, expect, it } from 'vitest';
import type { DiscordHarness } from '../helpers/discord-harness.ts';
import { useDiscordSuite } from '../helpers/discord-runbook-suite.ts';
import { ALICE } from '../helpers/discord-suite.ts';
import { DEPLOY_CHANNEL_ID } from '../helpers/fake-discord.ts';

const RUNBOOK = `version: 1
service: svc
timezone: UTC
environments: { production: { default: true } }
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  ann: { name: Ann, discord: "${ALICE}" }
permissions: { deploy: [ann], rollback: [ann], abort: [ann] }
steps:
  - { id: build, title: Build, run: "sleep 30", timeout: 10m }
  - { id: ship, title: Ship, run: "true" }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`;

const suite = useDiscordSuite(RUNBOOK);
let h: DiscordHarness;
beforeAll(() => {
  h = suite.h;
});

it('says the running step was stopped before it reports the abort', async () => {
  h.command(ALICE, 'deploy', 'start', { service: 'svc', version: 'v1.0.0' });
  const root = await h.waitFor('the status message', () =>
    h.fake.world.messages.find((m) => m.channel_id === DEPLOY_CHANNEL_ID && m.content.includes('svc v1.0.0')),
  );
  await h.waitFor('Build running', async () => {
    const d = await h.preflight().engine.store.get('svc-1');
    return d?.steps[0]?.status === 'running';
  });
  const answer = await h.answer(h.command(ALICE, 'deploy', 'abort', { id: 'svc-1', reason: 'wrong build' }));
  expect(answer.content).toBe('svc-1: deployment aborted.');
  const thread = await h.waitFor('the report in the thread', () => {
    const lines = h.fake.world.messages
      .filter((m) => m.channel_id === root.id)
      .map((m) => m.content.split('\n')[0] ?? '');
    return lines.some((l) => l.includes('**Report**')) && lines;
  });
  expect(thread).toEqual([
    '🛑 Step 1 **Build** was stopped',
    '🛑 **Report** **svc v1.0.0 → production** (svc-1): aborted',
  ]);
}, 60_000);
