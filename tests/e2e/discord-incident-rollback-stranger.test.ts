/**
 * Through Discord's gateway: someone the runbook does not know reacts 🔄 on an incident that is about no
 * deployment. Who they are is judged first: they are told Preflight does not know them and who may roll back,
 * not that the incident has nothing to roll back; and nothing happens to the incident.
 */
import { expect, it } from 'vitest';
import { openToyIncident } from '../helpers/discord-incident.ts';
import { useDiscordSandbox } from '../helpers/discord-suite.ts';

const harness = useDiscordSandbox();
const STRANGER = '299999999999999998';
const UNKNOWN = `your discord user id (${STRANGER}) is not among the people of the toy runbook`;

it('tells a stranger who reacts 🔄 on an incident that Preflight does not know them, and who may roll back', async () => {
  const h = harness();
  const root = await openToyIncident(h);
  h.react(STRANGER, root, '🔄');
  const told = await h.waitFor('the stranger told', () =>
    h.fake.world.messages.find(
      (m) => h.fake.world.channels.get(m.channel_id)?.recipient === STRANGER && m.content.includes(UNKNOWN),
    ),
  );
  expect(told.content).toContain('may roll back');
  expect(told.content).toContain('permissions.rollback');
  expect(told.content).not.toContain('not about a deployment');
  expect((await h.preflight().engine.incidents.get('INC-1'))?.state).toBe('open');
}, 90_000);
