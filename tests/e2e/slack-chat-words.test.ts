/**
 * Slack end to end, the words people read and type: `/deploy help` lists every answer a decision asks for, the
 * grammar's own words are taken in any case, a count of one reads in the singular, and a lock taken without a
 * reason says so in words that do not stand where a reason would, and a duration is spelled one way everywhere.
 */
import { describe, expect, it } from 'vitest';
import { plainLiterals } from '../../src/core/index.ts';
import { answerText } from '../helpers/slack-answer.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const RUNBOOK = `version: 1
service: shop
timezone: UTC
environments: { production: { default: true }, staging: {} }
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  ann: { name: Ann, slack: U0ANN0001 }
  ben: { name: Ben, slack: U0BEN0001 }
groups: { ops: [ann, ben] }
permissions: { deploy: [ops], rollback: [ops], lock: [ops], incident: [ops] }
checklist:
  - { id: disk, title: Disk space, run: "true" }
steps:
  - { id: migrate, title: Migrate, run: "exit 3", on_failure: ask }
  - { id: build, title: Build, run: "true" }
rollback:
  approval: { approvers: [ops], required: 1, allow_self: false }
  steps:
    - { id: undo, title: Undo, run: "true" }
escalation: { levels: [{ id: L1, notify: [ops], respond_within: 15m }] }
`;
const ANN = 'U0ANN0001';
const BEN = 'U0BEN0001';

const suite = useSlackSuite(RUNBOOK);

/** Slack text as a person reads it. */
const shown = (text: string) =>
  plainLiterals(text).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

async function answer(line: string, user = ANN): Promise<string> {
  return shown(await answerText(suite.h, user, line));
}

describe('a decision, asked and answered in Slack', () => {
  it('/deploy help lists every answer the decision message asks for', async () => {
    const { h } = suite;
    expect(await answer('/deploy start shop v1.0.0')).toMatch(/^Starting shop-1:/);
    await h.waitForState('shop-1', ['needs_decision']);
    const asked = await h.waitFor('the decision message', () =>
      h.fake.messages.find((m) => m.text.includes('/deploy decide ')),
    );
    const choices = /\/deploy decide ([a-z|]+) shop-1/.exec(asked.text)?.[1]?.split('|') ?? [];
    expect(choices).toEqual(['retry', 'skip', 'rollback']);
    const help = await answer('/deploy help');
    const decide = help.split('\n').find((l) => l.startsWith('/deploy decide')) ?? '';
    for (const choice of [...choices, 'run']) expect(decide).toMatch(new RegExp(`[<|]${choice}[|>]`));
  }, 60_000);

  it('takes the answer in capitals (/deploy decide SKIP), and the command and option names in any case', async () => {
    const { h } = suite;
    expect(await answer('/deploy DECIDE SKIP shop-1')).toBe('shop-1: decided skip.');
    const done = await h.waitForState('shop-1', ['monitoring', 'succeeded']);
    expect(done.steps.map((s) => [s.id, s.status])).toEqual([
      ['migrate', 'skipped'],
      ['build', 'succeeded'],
    ]);
    const status = await answer('/deploy Status shop-1');
    expect(status).not.toMatch(/^⚠️/);
    expect(status).toContain('shop-1');
    expect(await answer('/deploy lock shop staging load test --FOR=1h')).toMatch(
      /^🔒 shop staging locked by Ann for 1h: load test\./,
    );
    expect(await answer('/deploy decide Maybe shop-1')).toBe(
      '⚠️ "Maybe": choose retry, skip, rollback or run. Usage: /deploy decide <retry|skip|rollback|run> [<id>]',
    );
  }, 60_000);
});

describe('counts of one', () => {
  it('read in the singular: a plan with one checklist item, a rollback that needs one more approval', async () => {
    expect(await answer('/deploy plan shop')).toContain('Checklist (1 item: ');
    expect(await answer('/rollback shop-1')).toMatch(/^shop-1: rollback asked; it needs 1 more approval \(/);
  }, 60_000);
});

describe('a lock taken without a reason', () => {
  it('says "no reason given" in Preflight\'s words, never where a reason would stand or in quotes', async () => {
    expect(await answer('/deploy unlock shop staging')).toBe('🔓 shop staging unlocked.');
    expect(await answer('/deploy lock shop staging')).toBe(
      '🔒 shop staging locked by Ann for 4h, no reason given. /deploy unlock shop staging to release it.',
    );
    expect(await answer('/deploy start shop v1.0.1 staging', BEN)).toMatch(
      /^⚠️ shop staging is locked by Ann for another \S+, no reason given\. Ask them, or \/deploy unlock shop staging$/,
    );
    expect(await answer('/deploy lock shop staging again', BEN)).toBe(
      '⚠️ shop staging is already locked by Ann, no reason given',
    );
    expect(await answer('/deploy unlock shop staging', BEN)).toBe(
      "🔓 shop staging unlocked (forced: it was Ann's lock, no reason given; recorded in the audit log).",
    );
  }, 60_000);
});

describe('durations', () => {
  it('are spelled one way: the lock for 1h30m is "another 1h30m" to someone it holds off, not "90 min"', async () => {
    expect(await answer('/deploy lock shop staging soak test --for=90m')).toBe(
      '🔒 shop staging locked by Ann for 1h30m: soak test. /deploy unlock shop staging to release it.',
    );
    expect(await answer('/deploy start shop v1.0.2 staging', BEN)).toBe(
      '⚠️ shop staging is locked by Ann for another 1h30m: soak test. Ask them, or /deploy unlock shop staging',
    );
  }, 60_000);
});
