/**
 * Slack end to end: `/incident emergency stop` on a runbook with no `emergency` section. Nobody may run a command
 * that is not there, so someone the runbook does not know is told there is none and who may roll back instead,
 * not that some people may run it; someone it knows is told the same.
 */
import { expect, it } from 'vitest';
import { answerText } from '../helpers/slack-answer.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';
import { ANN, threePeopleRunbook } from '../helpers/three-people-runbook.ts';

const STRANGER = 'U0STRANGE1';
const suite = useSlackSuite(
  threePeopleRunbook(
    'shop',
    `groups: { ops: [ann, ben] }
permissions: { deploy: [ops], rollback: [ops], incident: [ops] }
steps:
  - { id: build, title: Build, run: "true" }
rollback:
  steps:
    - { id: back, title: Back, run: "true" }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`,
  ),
);

const NONE =
  'there is no emergency stop command (emergency.stop), so nobody can run one; to undo the deployment instead, Ann, Ben may roll back with /rollback (permissions.rollback)';

it('tells anyone asking for an emergency command the runbook lacks that there is none, and what to do instead', async () => {
  const { h } = suite;
  await answerText(h, ANN, '/incident open shop checkout down');
  const stranger = await answerText(h, STRANGER, '/incident emergency stop INC-1');
  expect(stranger).toContain(`your slack user id (${STRANGER}) is not among the people of the shop runbook`);
  expect(stranger).toContain(`— in the shop runbook ${NONE}`);
  expect(stranger).not.toContain('may run an emergency command');
  expect(await answerText(h, ANN, '/incident emergency stop INC-1')).toBe(`⚠️ in the shop runbook ${NONE}`);
  const incident = await h.preflight.engine.incidents.get('INC-1');
  expect(incident?.state).toBe('open');
  expect(incident?.emergencies).toBeUndefined();
});
