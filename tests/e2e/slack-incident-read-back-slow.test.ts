/**
 * On Slack: the bot is down past the time the next level of an incident was due, and when it is back Slack is slow
 * to answer `reactions.get`, so the read-back of what was reacted meanwhile takes longer than a page's own look at
 * its message would wait. The overdue page waits for that read-back: Ann's 👀 made while the bot was down counts,
 * and Cat (L2) is not paged. When Slack does not answer the read-back at all, the page waits only so long: Cat is
 * paged all the same, and the log says what the page waited for.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeMessage, INCIDENT_CHANNEL } from '../helpers/fake-slack-api.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const ANN = 'U0ANN0001';
const BEN = 'U0BEN0001';
const CAT = 'U0CAT0001';

const RUNBOOK = `version: 1
service: svc
timezone: UTC
environments: { production: { default: true }, staging: {} }
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  ann: { name: Ann, slack: ${ANN} }
  ben: { name: Ben, slack: ${BEN} }
  cat: { name: Cat, slack: ${CAT} }
groups: { oncall: [ann, ben], lead: [cat] }
permissions: { deploy: [oncall], rollback: [oncall], incident: [oncall, lead] }
steps:
  - { id: ship, title: Ship, run: "true" }
escalation:
  levels:
    - { id: L1, notify: [ann], via: [mention, dm], respond_within: 2s }
    - { id: L2, notify: [lead], via: [mention, dm], respond_within: 1m }
`;

const suite = useSlackSuite(RUNBOOK);
let h: SlackHarness;
beforeAll(() => {
  h = suite.h;
});

/** Slack's answers to `reactions.get` wait for this (none set: answered at once). */
let held: Promise<void> | undefined;
let answer = () => {};
const holdReactionReads = () => {
  held = new Promise<void>((resolve) => {
    answer = resolve;
  });
  h.fake.beforeAnswer(({ method }) =>
    method === 'reactions.get' && held ? held.then(() => undefined) : undefined,
  );
};
const answerReactionReads = () => {
  held = undefined;
  answer();
};
afterAll(answerReactionReads);

const dmChannel = (user: string) => `D${user.slice(1)}`;

/** Opens an incident on `environment`; resolves with its message (with Ann's L1 page in its thread, if `paged`). */
async function openIncident(id: string, environment: string, paged = true) {
  expect((await h.command(ANN, `/incident open svc ${environment} checkout is failing`)).status).toBe(200);
  const root = await h.waitFor(`${id}'s message`, () =>
    h.fake.messages.find((m) => m.channel === INCIDENT_CHANNEL && !m.threadTs && m.text.includes(id)),
  );
  if (paged)
    await h.waitFor(`${id}'s L1 page`, () =>
      h.fake.messages.find((m) => m.threadTs === root.ts && m.text.includes('L1')),
    );
  return root;
}

/** A person's reaction as Slack keeps it: on the message, whether or not a bot heard of it. */
const reactInSlack = (message: FakeMessage, user: string, emoji: string) => {
  message.reactedBy[emoji] = [...(message.reactedBy[emoji] ?? []), user];
};

describe('an overdue page at start while Slack is slow to answer the read-back of reactions', () => {
  it('👀 made while the bot was down, read back slowly: the next level is not paged', async () => {
    const root = await openIncident('INC-1', 'production');
    await h.restart(async () => {
      reactInSlack(root, ANN, 'eyes');
      holdReactionReads();
      await sleep(3_000);
    });
    // Longer than a page waits for its own look at the incident's message.
    await sleep(8_000);
    answerReactionReads();

    const acknowledged = await h.waitFor('INC-1 acknowledged', async () => {
      const incident = await h.preflight.engine.incidents.get('INC-1');
      return incident?.state === 'acknowledged' ? incident : undefined;
    });
    expect(acknowledged.ack?.by).toBe('ann');
    await h.waitFor('the acknowledgement in the thread', () =>
      h.fake.messages.find((m) => m.threadTs === root.ts && m.text.includes('acknowledged INC-1')),
    );
    await h.waitFor('everything sent', () => h.preflight.settled());
    expect(acknowledged.pages.map((p) => p.levelId)).toEqual(['L1']);
    const inThread = h.fake.messages.filter((m) => m.threadTs === root.ts).map((m) => m.text);
    expect(inThread.filter((text) => text.includes('L2'))).toEqual([]);
    expect(h.fake.messages.filter((m) => m.channel === dmChannel(CAT))).toEqual([]);
  }, 90_000);

  it('Slack never answers the read-back: the next level is paged all the same', async () => {
    // Down at once: L2 comes due (2 s after the incident opened) while the bot is down.
    await openIncident('INC-2', 'staging', false);
    await h.restart(async () => {
      holdReactionReads();
      await sleep(3_000);
    });
    await h.waitFor(
      "INC-2's L2 page to Cat",
      () => h.fake.messages.find((m) => m.channel === dmChannel(CAT) && m.text.includes('INC-2')),
      80_000,
    );
    const incident = await h.preflight.engine.incidents.get('INC-2');
    expect(incident?.state).toBe('open');
    expect(incident?.pages.map((p) => p.levelId)).toEqual(['L1', 'L2']);
    expect(h.logs.join('')).toContain('first read-back not ended in time');
    expect(h.logs.join('')).toContain('"platforms":["slack"]');
  }, 120_000);
});
