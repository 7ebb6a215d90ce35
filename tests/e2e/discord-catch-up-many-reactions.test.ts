/**
 * Through Discord: a gate's message that more than a hundred people reacted ✅ to (bystanders cheering it on; only the
 * approvers' count). Discord lists a reaction's users a page at a time, by user id. After a restart, the read-back
 * reads every page: an approver listed after the first hundred keeps their approval (it was withdrawn, their ✅
 * taken for one gone), and the gate passes with the next approval.
 */
import { beforeAll, expect, it } from 'vitest';
import { SECOND_PASS_MS } from '../../src/bot/catch-up-reactions.ts';
import type { DiscordHarness } from '../helpers/discord-harness.ts';
import { useDiscordSuite } from '../helpers/discord-runbook-suite.ts';
import { ALICE, BOB, CAROL, inThread } from '../helpers/discord-suite.ts';
import { DEPLOY_CHANNEL_ID } from '../helpers/fake-discord.ts';

const RUNBOOK = `version: 1
service: svc
timezone: UTC
environments: { production: { default: true } }
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  ann: { name: Ann, discord: "${ALICE}" }
  ben: { name: Ben, discord: "${BOB}" }
  cat: { name: Cat, discord: "${CAROL}" }
groups: { ops: [ann, ben, cat] }
permissions: { deploy: [ops], rollback: [ops] }
gates:
  go: { title: Go, approvers: [ops], required: 2 }
steps:
  - { id: build, title: Build, needs: [go], run: "true" }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`;
/** Bystanders whose user ids Discord lists before the approvers'. */
const BYSTANDERS = Array.from({ length: 120 }, (_, i) => String(100_000_000_000_000_000n + BigInt(i)));

const suite = useDiscordSuite(RUNBOOK);
let h: DiscordHarness;
beforeAll(() => {
  h = suite.h;
});

const approvers = async () =>
  (await h.preflight().engine.store.get('svc-1'))?.gates[0]?.approvals.map((a) => a.by) ?? [];

it('keeps an approval whose ✅ Discord lists after the first hundred, when it reads the reactions back', async () => {
  h.command(ALICE, 'deploy', 'start', { service: 'svc', version: 'v1.0.0' });
  const root = await h.waitFor('the status message', () =>
    h.fake.world.messages.find((m) => m.channel_id === DEPLOY_CHANNEL_ID && m.content.includes('svc v1.0.0')),
  );
  const gate = await h.waitFor('the gate', inThread(h, root.id, '**Go** gate'));
  h.react(BOB, gate, '✅');
  await h.waitFor('Ben counted', async () => ((await approvers()).includes('ben') ? true : undefined));
  await h.restart(() => {
    for (const user of BYSTANDERS) h.fake.world.react(gate.id, '✅', user, true);
  });
  const restarted = Date.now();
  await h.waitFor('the read-back of the gate', () =>
    h.fake.world.calls.some((c) => c.method === 'GET' && c.path.includes(`/messages/${gate.id}/reactions/`))
      ? true
      : undefined,
  );
  // And its second pass, SECOND_PASS_MS after the start.
  await new Promise((r) => setTimeout(r, Math.max(0, restarted + SECOND_PASS_MS + 2_000 - Date.now())));
  expect(await approvers()).toEqual(['ben']);
  h.react(CAROL, gate, '✅');
  const d = await h.waitForState('svc-1', ['succeeded']);
  expect(d.gates[0]?.approvals.map((a) => a.by)).toEqual(['ben', 'cat']);
}, 90_000);
