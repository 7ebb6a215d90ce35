/**
 * A rollback asked again after the first one ended incomplete (its step failed and was skipped): while the new one
 * runs, the status message at the top of the thread and `/deploy status` show it running, not the first one's
 * outcome; once it ends they show its own. The first rollback's report and audit records stay as they were.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FakeMessage } from '../helpers/fake-slack-api.ts';
import { answerText } from '../helpers/slack-answer.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';
import { ANN, threePeopleRunbook } from '../helpers/three-people-runbook.ts';

const marks = mkdtempSync(join(tmpdir(), 'preflight-again-'));
const failedOnce = join(marks, 'failed-once');
const go = join(marks, 'go');

// Restore fails the first time; the second time it runs until the test lets it finish.
const RESTORE = `if [ -e ${failedOnce} ]; then while [ ! -e ${go} ]; do sleep 0.05; done; exit 0; fi; touch ${failedOnce}; exit 3`;

const RUNBOOK = threePeopleRunbook(
  'again',
  `groups: { ops: [ann, ben, cat] }
permissions: { deploy: [ops], rollback: [ops] }
steps:
  - { id: ship, title: Ship, run: "true" }
rollback:
  approval: { approvers: [ann], required: 1, allow_self: true }
  steps:
    - { id: restore, title: Restore, run: '${RESTORE}' }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`,
);

const suite = useSlackSuite(RUNBOOK);
let h: SlackHarness;
let firstReport: FakeMessage;
const INCOMPLETE = 'Outcome: rollback incomplete: rollback step "Restore" failed and was skipped';

const statusText = async () => (await h.messageOf('again-1', 'status')).text;
const reports = () => h.fake.messages.filter((m) => m.text.includes('*Report* *again v1.0.0'));

beforeAll(async () => {
  h = suite.h;
  await h.command(ANN, '/deploy start again v1.0.0');
  await h.waitForState('again-1', ['succeeded']);
  await h.command(ANN, '/rollback again-1');
  await h.waitForState('again-1', ['needs_decision']);
  await h.command(ANN, '/deploy decide skip again-1');
  await h.waitForState('again-1', ['rollback_failed']);
  firstReport = await h.waitFor('the report of the first rollback', () =>
    reports().find((m) => m.text.startsWith('🔥')),
  );
  await h.waitFor('the status showing the first outcome', async () =>
    (await statusText()).includes(INCOMPLETE),
  );
});

afterAll(() => rmSync(marks, { recursive: true, force: true }));

it('shows the second rollback running, without the first one’s outcome', async () => {
  await h.command(ANN, '/rollback again-1');
  await h.waitFor('the second rollback’s step running', async () => {
    const d = await h.preflight.engine.store.get('again-1');
    return d?.rollback?.steps[0]?.status === 'running';
  });
  const status = await h.waitFor('the status message of the running rollback', async () => {
    const text = await statusText();
    return text.includes(': rolling back') && text;
  });
  expect(status).not.toContain('Outcome:');
  expect(status).not.toContain('took ');
  const asked = await answerText(h, ANN, '/deploy status again-1');
  expect(asked).toContain('rolling back');
  expect(asked).not.toMatch(/outcome:/i);
});

it('shows the second rollback’s own outcome once it ends; the first one’s report and audit stay', async () => {
  writeFileSync(go, '');
  await h.waitForState('again-1', ['rolled_back']);
  await h.waitFor('the status showing the new outcome', async () =>
    (await statusText()).includes('Outcome: rolled back'),
  );
  expect(await statusText()).not.toContain('rollback incomplete');
  const asked = await answerText(h, ANN, '/deploy status again-1');
  expect(asked).toContain('outcome: rolled back');
  expect(asked).not.toContain('rollback incomplete');
  const second = await h.waitFor('the report of the second rollback', () =>
    reports().find((m) => m.text.includes('Outcome: rolled back')),
  );
  expect(second.ts).not.toBe(firstReport.ts);
  expect(h.fake.message(firstReport.channel, firstReport.ts)?.text).toContain(INCOMPLETE);
  const audit = await h.preflight.engine.store.audit('again-1');
  expect(audit.find((r) => r.type === 'deployment.rollback_failed')?.detail).toEqual({
    outcome: 'rollback incomplete: rollback step "Restore" failed and was skipped',
  });
  expect(audit.filter((r) => r.type === 'rollback.started')).toHaveLength(2);
});
