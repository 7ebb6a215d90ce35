/**
 * Slack end to end: someone the runbook does not know types `/incident open` or `/incident resolve`. As for a
 * start, a lock or a rollback, the refusal says who may (permissions.incident), so they know whom to ask.
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
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`,
  ),
);

const UNKNOWN = `⚠️ your slack user id (${STRANGER}) is not among the people of the shop runbook, so Preflight does not know who you are there; ask a maintainer to add you under people: — in the shop runbook only Ann, Ben`;

it('tells a stranger refused an incident command who may open or resolve one', async () => {
  const { h } = suite;
  expect(await answerText(h, STRANGER, '/incident open shop checkout down')).toBe(
    `${UNKNOWN} may open an incident (permissions.incident)`,
  );
  await answerText(h, ANN, '/incident open shop checkout down');
  expect(await answerText(h, STRANGER, '/incident resolve INC-1 fixed')).toBe(
    `${UNKNOWN} may resolve an incident (permissions.incident)`,
  );
  expect((await h.preflight.engine.incidents.get('INC-1'))?.state).toBe('open');
});
