/**
 * On Slack: the bot is down when the on-call acknowledges an incident with 👀 (on the incident message, or on the
 * direct message that paged them), and stays down past the time the next level was due. When it is back, the
 * overdue page reads the acknowledgements back from Slack first (`reactions.get`): the incident is acknowledged by
 * the on-call, and the next level is not paged for an incident already answered: not in the thread, not by direct
 * message, not on PagerDuty. A 👀 or ✅ then by someone not on the ladder is no acknowledgement: the next level is paged.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type FakeMessage, INCIDENT_CHANNEL } from '../helpers/fake-slack-api.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { usePagerDutyFake, useSlackSuite } from '../helpers/slack-suite.ts';

const ANN = 'U0ANN0001';
const BEN = 'U0BEN0001';
const CAT = 'U0CAT0001';

const RUNBOOK = `version: 1
service: svc
timezone: UTC
environments: { production: { default: true }, staging: {}, qa: {} }
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  ann: { name: Ann, slack: ${ANN}, pagerduty: PANN001 }
  ben: { name: Ben, slack: ${BEN}, pagerduty: PBEN001 }
  cat: { name: Cat, slack: ${CAT}, pagerduty: PCAT001 }
groups: { oncall: [ann, ben], lead: [cat] }
permissions: { deploy: [oncall], rollback: [oncall], incident: [oncall, lead] }
steps:
  - { id: ship, title: Ship, run: "true" }
escalation:
  levels:
    - { id: L1, notify: [ann], via: [mention, dm, pagerduty], respond_within: 2s }
    - { id: L2, notify: [lead], via: [mention, dm, pagerduty], respond_within: 1m }
`;

const pager = usePagerDutyFake();
const suite = useSlackSuite(RUNBOOK, { config: pager.config });
let h: SlackHarness;

beforeAll(async () => {
  h = suite.h;
  // Slack's answers to the reads made before the adapter is up are lost: the read-back the adapter runs when it
  // starts (which would find the 👀 too, racing the page) finds nothing, so only the page's own read-back can.
  h.fake.beforeAnswer(({ method }) =>
    method === 'reactions.get' && h.preflight.chat.ports.slack === undefined ? { status: 500 } : undefined,
  );
});

const dmChannel = (user: string) => `D${user.slice(1)}`;

/** A person's reaction as Slack keeps it: on the message, whether or not a bot heard of it. */
const reactInSlack = (message: FakeMessage, user: string, emoji: string) => {
  message.reactedBy[emoji] = [...(message.reactedBy[emoji] ?? []), user];
};

/** Opens an incident on `environment` and waits for its message and Ann's L1 page (thread, DM, PagerDuty). */
async function openIncident(id: string, environment: string) {
  expect((await h.command(ANN, `/incident open svc ${environment} checkout is failing`)).status).toBe(200);
  const root = await h.waitFor(`${id}'s message`, () =>
    h.fake.messages.find((m) => m.channel === INCIDENT_CHANNEL && !m.threadTs && m.text.includes(id)),
  );
  const dm = await h.waitFor(`${id}'s page to Ann`, () =>
    h.fake.messages.find((m) => m.channel === dmChannel(ANN) && m.text.includes(id)),
  );
  await h.waitFor(`${id}'s L1 page on PagerDuty`, () =>
    pager.fake.pagerduty.received.some(
      (e) => e.event_action === 'trigger' && e.dedup_key.startsWith(`preflight/${id}/`),
    ),
  );
  return { root, dm };
}

/** Ann's 👀 on `message` while the bot is down, which stays down past L2's time (2 s after the incident opened). */
const acknowledgeWhileDown = (message: FakeMessage) =>
  h.restart(async () => {
    reactInSlack(message, ANN, 'eyes');
    await new Promise((r) => setTimeout(r, 3_000));
  });

async function expectAcknowledgedByAnnNotEscalated(id: string, root: FakeMessage) {
  const acknowledged = await h.waitFor(`${id} acknowledged`, async () => {
    const incident = await h.preflight.engine.incidents.get(id);
    return incident?.state === 'acknowledged' ? incident : undefined;
  });
  expect(acknowledged.ack?.by).toBe('ann');
  await h.waitFor('the acknowledgement in the thread', () =>
    h.fake.messages.find((m) => m.threadTs === root.ts && m.text.includes(`acknowledged ${id}`)),
  );
  await h.waitFor('everything sent', () => h.preflight.settled());
  expect(acknowledged.pages.map((p) => p.levelId)).toEqual(['L1']);
  // Cat (L2) got no page: not in the thread, not by direct message, not on PagerDuty.
  const inThread = h.fake.messages.filter((m) => m.threadTs === root.ts).map((m) => m.text);
  expect(inThread.filter((text) => text.includes('L2'))).toEqual([]);
  expect(h.fake.messages.filter((m) => m.channel === dmChannel(CAT))).toEqual([]);
  const triggers = pager.fake.pagerduty.received.filter(
    (e) => e.event_action === 'trigger' && e.dedup_key.startsWith(`preflight/${id}/`),
  );
  expect(triggers).toHaveLength(1);
}

describe('an acknowledgement made in Slack while the bot was down, with the next page overdue', () => {
  it('👀 on the incident message: the next level is not paged', async () => {
    const { root } = await openIncident('INC-1', 'production');
    await acknowledgeWhileDown(root);
    await expectAcknowledgedByAnnNotEscalated('INC-1', root);
  }, 60_000);

  it('👀 on the direct message that paged them: the next level is not paged', async () => {
    const { root, dm } = await openIncident('INC-2', 'staging');
    await acknowledgeWhileDown(dm);
    await expectAcknowledgedByAnnNotEscalated('INC-2', root);
  }, 60_000);

  it('👀 and ✅ by someone not on the ladder: no acknowledgement, the next level is paged', async () => {
    const { root } = await openIncident('INC-3', 'qa');
    await h.restart(async () => {
      reactInSlack(root, BEN, 'eyes');
      reactInSlack(root, BEN, 'white_check_mark');
      await new Promise((r) => setTimeout(r, 3_000));
    });
    await h.waitFor("INC-3's L2 page to Cat", () =>
      h.fake.messages.find((m) => m.channel === dmChannel(CAT) && m.text.includes('INC-3')),
    );
    const incident = await h.preflight.engine.incidents.get('INC-3');
    expect(incident?.state).toBe('open');
    expect(incident?.ack).toBeUndefined();
    expect(incident?.pages.map((p) => p.levelId)).toEqual(['L1', 'L2']);
  }, 60_000);
});
