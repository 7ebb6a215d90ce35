/**
 * Slack end to end, where a message points at a channel or a thread: the answer to /deploy start links the deploy
 * channel (`<#C…>`) and the deployment's thread (its permalink); the incident post links back to the deployment's
 * thread; the answers about an incident link its thread. When Slack cannot give a permalink, the channel link
 * stands alone and the message still goes.
 */
import { describe, expect, it } from 'vitest';
import {
  DEPLOY_CHANNEL,
  type FakeMessage,
  INCIDENT_CHANNEL,
  permalinkOf,
} from '../helpers/fake-slack-methods.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const ANN = 'U0ANN0001';

const RUNBOOK = `version: 1
service: shop
timezone: UTC
environments: { production: { default: true }, staging: {} }
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  ann: { name: Ann, slack: ${ANN} }
  bob: { name: Bob, slack: U0BOB0001 }
groups: { ops: [ann, bob] }
permissions: { deploy: [ops], rollback: [ops] }
checklist:
  - { id: notes, title: Release notes reviewed, owner: [bob] }
steps:
  - { id: build, title: Build, run: "true" }
escalation: { levels: [{ id: L1, notify: [ops], respond_within: 15m }] }
`;

const suite = useSlackSuite(RUNBOOK);

const answerTo = async (tag: string) => {
  const { h } = suite;
  const reply = await h.waitFor(`the answer ${tag}`, () => h.fake.responses.find((r) => r.tag === tag));
  return String(reply.body.text);
};
const statusOf = (environment: string) => () =>
  suite.h.fake.messages.find(
    (m: FakeMessage) => m.channel === DEPLOY_CHANNEL && !m.threadTs && m.text.includes(`→ ${environment}`),
  );

describe('links to channels and threads on Slack', () => {
  it('answers /deploy start with the deploy channel and the permalink of the deployment thread', async () => {
    const { h } = suite;
    const start = await h.command(ANN, '/deploy start shop v1.0.0');
    const answer = await answerTo(start.tag);
    const root = await h.waitFor('the status message', statusOf('production'));
    expect(answer).toBe(
      `Starting shop-1: shop v1.0.0 → production. Follow it in <#${DEPLOY_CHANNEL}> (<${permalinkOf(DEPLOY_CHANNEL, root.ts)}|shop-1 thread>).`,
    );
  });

  it('links the incident post to the deployment thread, and the answers about the incident to its thread', async () => {
    const { h } = suite;
    const root = await h.waitFor('the status message', statusOf('production'));
    const open = await h.command(ANN, '/incident open shop-1 checkout fails');
    const opened = await answerTo(open.tag);
    const incident = await h.waitFor('the incident post', () =>
      h.fake.messages.find((m) => m.channel === INCIDENT_CHANNEL && !m.threadTs && m.text.includes('INC-1')),
    );
    const incidentThread = `<${permalinkOf(INCIDENT_CHANNEL, incident.ts)}|INC-1 thread>`;
    expect(opened).toBe(
      `🚨 INC-1 opened in <#${INCIDENT_CHANNEL}> (${incidentThread}) for shop production; paging L1.`,
    );
    const backLink = `Deployment: shop-1 (v1.0.0, running its checklist), thread in <#${DEPLOY_CHANNEL}> (<${permalinkOf(DEPLOY_CHANNEL, root.ts)}|shop-1 thread>)`;
    await h.waitFor('the link to the deployment thread', () =>
      h.fake.message(INCIDENT_CHANNEL, incident.ts)?.text.includes(backLink),
    );

    const ack = await h.command(ANN, '/ack INC-1');
    expect(await answerTo(ack.tag)).toBe(
      `👀 INC-1 acknowledged by Ann; paging stopped (said so in its thread in <#${INCIDENT_CHANNEL}> (${incidentThread})).`,
    );
  }, 60_000);

  it('falls back to the channel link when Slack gives no permalink, and the answer still comes', async () => {
    const { h } = suite;
    // The earlier tests' posts have gone, so the new status message is posted while the answer waits for it.
    await h.waitFor(
      'the send queue to empty',
      async () => (await h.preflight.chat.queue.pending()) === 0,
      30_000,
    );
    h.fake.fail('chat.getPermalink', { error: 'internal_error' }, 1);
    const start = await h.command(ANN, '/deploy start shop v1.1.0 staging');
    expect(await answerTo(start.tag)).toBe(
      `Starting shop-2: shop v1.1.0 → staging. Follow it in <#${DEPLOY_CHANNEL}>.`,
    );
    expect(h.fake.calls.filter((c) => c.method === 'chat.getPermalink').map((c) => c.error)).toContain(
      'internal_error',
    );
  });
});
