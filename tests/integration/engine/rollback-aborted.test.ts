/**
 * A rollback aborted part-way (`/deploy abort` while a rollback step runs) leaves the service neither on the new
 * version nor back on the old one: its service and environment stay locked, as after a rollback that ended, so
 * nobody deploys onto it before someone has looked and unlocked it; and the incident's thread, told the rollback
 * started, is told it was stopped.
 */
import { expect, it } from 'vitest';
import { openIncidentFor, plainLiterals } from '../../../src/core/index.ts';
import type { Harness } from '../../helpers/engine-harness.ts';
import { engineRunbook } from '../../helpers/engine-runbooks.ts';
import { useEngineSuite } from '../../helpers/engine-suite.ts';
import { eventually, incidentNotes } from '../../helpers/incident-world.ts';

const suite = useEngineSuite();

const runbook = engineRunbook("  - { id: ship, title: Ship, needs: [go], run: 'true' }").replace(
  /rollback:\n {2}steps:\n.*\n/,
  "rollback:\n  steps:\n    - { id: undo, title: Undo, run: 'echo undo-start >> runs.log; sleep 30' }\n",
);

async function type(h: Harness, person: string, text: string): Promise<string> {
  const reply = await h.preflight.chat.dispatcher.command({
    platform: 'console',
    userId: person,
    channel: '#deploy',
    text,
  });
  return plainLiterals(reply?.text ?? '');
}

it('keeps the service locked after a rollback aborted part-way', async () => {
  const h = await suite.start({ runbook });
  const started = await h.start('v1.0.0', 'ann');
  if (!started.ok) throw started.error;
  const id = started.deployment.id;
  const approved = await h.apply(id, { type: 'gate.approve', gate: 'go', by: 'ben' });
  if (!approved.ok) throw approved.error;
  await h.waitFor(id, (d) => d.steps[0]?.status === 'succeeded' && d.state === 'succeeded');
  const opened = await openIncidentFor(h.preflight.engine, {
    deploymentId: id,
    title: 'checkout answers 500',
    trigger: 'manual',
    openedBy: 'ann',
  });
  if (!opened.ok) throw opened.error;
  const incident = opened.incident.id;
  await type(h, 'ann', `/rollback ${id}`);
  await h.waitFor(id, (d) => d.rollback?.steps[0]?.status === 'running');
  await type(h, 'ben', `/deploy abort ${id} undo hangs`);
  await h.waitFor(id, (d) => d.state === 'aborted');
  const stopped = await eventually(
    async () => incidentNotes(h, incident).filter((n) => n.startsWith('⏹️')),
    (notes) => notes.length > 0,
    10_000,
    'the incident told the rollback stopped',
  );
  expect(stopped).toEqual([
    `⏹️ The rollback of ${id} was stopped part-way: aborted by Ben: undo hangs. svc production stays locked until someone runs \`/deploy unlock svc production <reason>\`. Check the service by hand; the emergency stop and logs are on ${incident}'s message.`,
  ]);
  const again = await type(h, 'ann', '/deploy start svc v1.0.1');
  expect(again).toContain(
    `svc production is locked since deployment ${id} was aborted while it rolled back (${incident}): aborted by Ben: undo hangs. Once it is safe to deploy again: /deploy unlock svc production <reason>`,
  );
  const unlocked = await type(h, 'ann', '/deploy unlock svc production looked at it');
  expect(unlocked).toContain('unlocked');
  expect(await type(h, 'ann', '/deploy start svc v1.0.1')).not.toContain('locked');
}, 60_000);
