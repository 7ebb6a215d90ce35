/**
 * Asking for a rollback answers the deployment's incident only for someone whose acknowledgement counts. Someone
 * who may roll back but is on no escalation level gets the rollback they asked for; the incident stays open and
 * paging, and its audit log shows no acknowledgement of theirs refused: they never asked for one.
 */
import { beforeAll, expect, it } from 'vitest';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';
import { ANN, BEN, threePeopleRunbook } from '../helpers/three-people-runbook.ts';

const RUNBOOK = threePeopleRunbook(
  'svc',
  `groups: { oncall: [ann, ben], lead: [cat] }
permissions: { deploy: [oncall], rollback: [oncall], incident: [oncall, lead] }
steps:
  - { id: ship, title: Ship, run: "true" }
rollback:
  steps:
    - { id: restore, title: Restore, run: "true" }
escalation:
  levels:
    - { id: L1, notify: [ann], via: [mention], respond_within: 1h }
    - { id: L2, notify: [lead], via: [mention], respond_within: 1h }
`,
);

const suite = useSlackSuite(RUNBOOK);
let h: SlackHarness;

beforeAll(async () => {
  h = suite.h;
  await h.command(ANN, '/deploy start svc v1.0.0');
  await h.waitForState('svc-1', ['succeeded']);
  await h.command(ANN, '/incident open svc-1 checkout answers 500');
  await h.waitFor('INC-1 open', async () => (await h.preflight.engine.incidents.openFor('svc-1'))?.id);
});

it('rolls back for Ben, who is on no level, and records no refused acknowledgement of his', async () => {
  await h.command(BEN, '/rollback svc-1');
  await h.waitForState('svc-1', ['rolled_back']);
  expect((await h.preflight.engine.incidents.get('INC-1'))?.state).toBe('open');
  const refused = (await h.preflight.engine.store.audit('INC-1')).filter((r) => r.type === 'access.refused');
  expect(refused).toEqual([]);
});
