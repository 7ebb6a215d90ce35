/**
 * The Emergency stop pressed again while it runs (a double click, or a second person in the same panic) does not run
 * it a second time beside the first: that press is answered that the stop is still running and where its output
 * goes, and the thread says one stop. Once it has finished, pressing again runs it again.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FakeMessage } from '../helpers/fake-slack-api.ts';
import { INCIDENT_CHANNEL } from '../helpers/fake-slack-methods.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';
import { ANN, BEN, CAT, threePeopleRunbook } from '../helpers/three-people-runbook.ts';

/** The stop waits for this file, so it is surely still running when pressed again. */
const GO = join(mkdtempSync(join(tmpdir(), 'preflight-emergency-')), 'go');

const RUNBOOK = threePeopleRunbook(
  'shop',
  `groups: { oncall: [ann, ben], lead: [cat] }
permissions: { deploy: [oncall], rollback: [oncall], abort: [oncall, lead], incident: [oncall, lead] }
steps:
  - { id: ship, title: Ship, run: "true" }
emergency:
  stop: { run: 'while [ ! -e "${GO}" ]; do sleep 0.05; done; echo stopped' }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 1h }] }
`,
);

const suite = useSlackSuite(RUNBOOK);
let h: SlackHarness;
let incident: FakeMessage;
// A stop still waiting (the test failed before letting it go) would hold the bot's stop.
afterAll(() => writeFileSync(GO, ''));

const inThread = (text: string) =>
  h.fake.messages.filter(
    (m) => m.channel === INCIDENT_CHANNEL && m.threadTs === incident.ts && m.text.includes(text),
  );

const pressStop = async (user: string): Promise<string> => {
  const { tag } = await h.click(user, incident, 'incident.emergency');
  const found = await h.waitFor('the answer to the press', () => h.fake.responses.find((r) => r.tag === tag));
  return String(found.body.text);
};

beforeAll(async () => {
  h = suite.h;
  await h.command(ANN, '/deploy start shop v1.0.0');
  await h.waitForState('shop-1', ['succeeded']);
  await h.command(ANN, '/incident open shop-1 checkout answers 500');
  incident = await h.waitFor('the incident message', () =>
    h.fake.messages.find((m) => m.channel === INCIDENT_CHANNEL && !m.threadTs && m.text.includes('INC-1')),
  );
});

it('runs the stop once while it runs, however many press it; again once it has finished', async () => {
  expect(await pressStop(BEN)).toBe('emergency stop started; its output goes to the INC-1 thread');
  expect(await pressStop(CAT)).toBe(
    '⚠️ the emergency stop Ben asked for is still running: it is not started a second time; its output follows in the INC-1 thread',
  );
  expect(await pressStop(BEN)).toBe(
    '⚠️ the emergency stop you asked for is still running: it is not started a second time; its output follows in the INC-1 thread',
  );
  writeFileSync(GO, '');
  await h.waitFor('the stop finished', () => inThread('Emergency stop finished').length > 0);
  expect(inThread('started the emergency stop')).toHaveLength(1);

  expect(await pressStop(CAT)).toBe('emergency stop started; its output goes to the INC-1 thread');
  await h.waitFor('the second stop finished', () => inThread('Emergency stop finished').length > 1);
  expect(inThread('started the emergency stop').map((m) => m.text)).toEqual([
    '🛑 <@U0BEN0001> started the emergency stop for INC-1; its output follows here.',
    '🛑 <@U0CAT0001> started the emergency stop for INC-1; its output follows here.',
  ]);
  expect(inThread('Emergency stop finished')).toHaveLength(2);
}, 60_000);
