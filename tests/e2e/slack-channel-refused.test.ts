/**
 * A channel that refuses Preflight's posts (it was removed from it, the channel was archived): the people who
 * must act are told directly. The requester learns once that nobody can see the deployment's thread; a page that
 * cannot be posted in the incident channel reaches each paged person as a direct message, and 👀 there counts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEPLOY_CHANNEL, INCIDENT_CHANNEL } from '../helpers/fake-slack-api.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const ANN = 'U0ANN0001';
const BEN = 'U0BEN0001';

const RUNBOOK = `version: 1
service: svc
timezone: UTC
environments: { production: { default: true } }
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  ann: { name: Ann, slack: ${ANN} }
  ben: { name: Ben, slack: ${BEN} }
groups: { ops: [ann, ben] }
permissions: { deploy: [ops], rollback: [ops], incident: [ops] }
checklist:
  - { id: notes, title: Release notes reviewed, owner: [ben] }
gates:
  go: { title: Go, approvers: [ben] }
steps:
  - { id: ship, title: Ship, needs: [go], run: "true" }
escalation: { levels: [{ id: L1, notify: [ben], respond_within: 15m }] }
`;

const suite = useSlackSuite(RUNBOOK);
let h: SlackHarness;
beforeAll(() => {
  h = suite.h;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const directTo = (user: string, text: string) =>
  h.fake.messages.filter((m) => m.channel === `D${user.slice(1)}` && m.text.includes(text));

describe('a channel that refuses posts', () => {
  it('the requester is told once that nobody can see the deployment', async () => {
    h.fake.refuse(DEPLOY_CHANNEL, 'not_in_channel');
    expect((await h.command(ANN, '/deploy start svc v1.0.0')).status).toBe(200);
    const told = await h.waitFor('the direct message', () => directTo(ANN, 'svc-1')[0]);
    expect(told.text).toContain("Preflight's posts in #deployments are refused");
    expect(told.text).toContain('nobody can approve its gates');
    expect(told.text).toContain('/deploy abort svc-1');
    // The checklist item and the rest are refused too; the requester is not told again.
    await sleep(1_500);
    expect(directTo(ANN, 'svc-1')).toHaveLength(1);
    h.fake.refuse(DEPLOY_CHANNEL, undefined);
  });

  it('a page that cannot be posted reaches the paged person directly, and 👀 on it acknowledges', async () => {
    h.fake.refuse(INCIDENT_CHANNEL, 'is_archived');
    expect((await h.command(ANN, '/incident open svc production checkout is failing')).status).toBe(200);
    const page = await h.waitFor('the page by direct message', () => directTo(BEN, 'INC-1')[0]);
    expect(page.text).toContain("Preflight's posts in #incident-response are refused");
    expect(page.text).toContain('/ack INC-1');
    expect(directTo(ANN, 'INC-1')).toEqual([]);
    expect((await h.react(BEN, page, 'eyes')).status).toBe(200);
    await h.waitFor('the acknowledgement', async () => {
      const incident = await h.preflight.engine.incidents.get('INC-1');
      return incident?.state === 'acknowledged' ? incident : undefined;
    });
  });
});
