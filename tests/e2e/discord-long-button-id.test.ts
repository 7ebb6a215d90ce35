/**
 * Discord takes at most 100 characters in a button's custom_id. A runbook with a long service name and long
 * checklist item and gate ids (all valid: ids run to 63 characters) still gets buttons that work: Done ticks the
 * item of the message it is on, and Reject asks why and rejects that message's gate, rather than answering that the
 * button is not one Preflight put there.
 */
import { expect, it } from 'vitest';
import { ALICE, BOB, CAROL, DAVE, inThread, useDiscordSandbox } from '../helpers/discord-suite.ts';
import { DEPLOY_CHANNEL_ID } from '../helpers/fake-discord.ts';

const SERVICE = 'toy-payments-settlement-reconciliation-worker';
const ITEM = 'release-notes-reviewed-by-the-whole-devops-team-before-start';
const GATE = 'operations-sign-off-by-two-of-the-three-devops-engineers';

const harness = useDiscordSandbox({
  runbook: (text) =>
    text
      .replace('service: toy', `service: ${SERVICE}`)
      .replace('id: release-notes', `id: ${ITEM}`)
      .replace('  operations:\n', `  ${GATE}:\n`)
      .replace(/\boperations(\s*\])/g, `${GATE}$1`),
});

it('ticks a checklist item by its Done button when service and item ids are long', async () => {
  const h = harness();
  h.command(ALICE, 'deploy', 'start', { service: SERVICE, version: 'v1.3.0' });
  const root = await h.waitFor('the status message', () =>
    h.fake.world.messages.find((m) => m.channel_id === DEPLOY_CHANNEL_ID && m.content.includes('v1.3.0')),
  );
  const item = await h.waitFor('release notes', inThread(h, root.id, '☐ **Release notes reviewed**'));
  const done = buttonIds(item);
  expect(done).toHaveLength(1);
  expect(done[0]?.length).toBeLessThanOrEqual(100);
  const answer = await h.answer(h.click(BOB, item, done[0] ?? ''));
  expect(answer.content).not.toContain('⚠️');
  const d = await h.preflight().engine.store.get(ID);
  expect(d?.checklist.find((c) => c.id === ITEM)?.by).toBe('bob');

  h.react(DAVE, await h.waitFor('scan', inThread(h, root.id, '☐ **Dependency scan')), '✅');
  h.react(CAROL, await h.waitFor('support', inThread(h, root.id, '☐ **Support knows')), '✅');
  const gate = await h.waitFor('the long gate', inThread(h, root.id, 'Operations sign-off** gate'), 40_000);
  const reject = buttonIds(gate).find((id) => id.startsWith('gate.reject|')) ?? '';
  expect(reject.length).toBeLessThanOrEqual(100);
  const click = h.click(BOB, gate, reject);
  const form = await h.waitFor('the form', () =>
    h.fake.world.answers.find((a) => a.token === click.token && a.kind === 'callback' && a.body.type === 9),
  );
  expect(JSON.stringify(form.body.data)).toContain('Why is the gate rejected?');
  const rejected = await h.answer(h.submit(BOB, gate, reject, { reason: 'the pager rota is empty' }));
  expect(rejected.content).toMatch(/^you rejected the Operations sign-off gate \(the pager rota is empty\)/);
  const failed = await h.waitForState(ID, ['failed']);
  expect(failed.gates.find((g) => g.id === GATE)?.rejection).toMatchObject({ by: 'bob' });
}, 120_000);

const ID = `${SERVICE}-1`;
/** The custom ids of a message's buttons. */
const buttonIds = (message: { components?: unknown }) =>
  [...JSON.stringify(message.components ?? []).matchAll(/"custom_id":"([^"]*)"/g)].map((m) => m[1] ?? '');
