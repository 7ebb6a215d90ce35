/**
 * Through Discord's gateway: `/incident emergency stop` on a runbook with emergency logs and a contact but no
 * emergency stop. Someone the runbook does not know is told, as on Slack, that there is no stop for anyone to run,
 * who may roll back instead and whom to reach; not that some people may run it.
 */
import { expect, it } from 'vitest';
import { openToyIncident } from '../helpers/discord-incident.ts';
import { useDiscordSandbox } from '../helpers/discord-suite.ts';
import { INCIDENT_CHANNEL_ID } from '../helpers/fake-discord.ts';

const harness = useDiscordSandbox({
  runbook: (text) => text.replace(/^ {2}stop: \{ title: Stop the toy service.*\n/m, ''),
});
const STRANGER = '299999999999999998';

it('tells a stranger asking for an emergency stop the runbook lacks that there is none, and what to do instead', async () => {
  const h = harness();
  await openToyIncident(h);
  const asked = h.command(
    STRANGER,
    'incident',
    'emergency',
    { which: 'stop', incident: 'INC-1' },
    { channel: INCIDENT_CHANNEL_ID },
  );
  const told = (await h.answer(asked)).content;
  expect(told).toContain(`your discord user id (${STRANGER}) is not among the people of the toy runbook`);
  expect(told).toContain(
    '— in the toy runbook there is no emergency stop command (emergency.stop), so nobody can run one; to undo the deployment instead, ',
  );
  expect(told).toContain(
    'may roll back with /rollback (permissions.rollback); in an emergency reach #incident-response or +1-555-0100 (emergency.contact)',
  );
  expect(told).not.toContain('may run an emergency command');
  expect((await h.preflight().engine.incidents.get('INC-1'))?.emergencies).toBeUndefined();
}, 90_000);
