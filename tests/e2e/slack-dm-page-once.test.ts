/**
 * A page by direct message whose send was cut off (Slack posted it, then its answer was lost) is not sent twice:
 * the send queue tries it again, finds the message it already made in the direct-message channel by its delivery
 * id, and records that one, so the person gets one page per level, and 👀 on it acknowledges.
 */
import { beforeAll, describe, expect, it } from 'vitest';
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
gates:
  go: { title: Go, approvers: [ben] }
steps:
  - { id: ship, title: Ship, needs: [go], run: "true" }
escalation: { levels: [{ id: L1, notify: [ben], via: [mention, dm], respond_within: 15m }] }
`;

const suite = useSlackSuite(RUNBOOK);
let h: SlackHarness;
beforeAll(() => {
  h = suite.h;
});

const BEN_DM = `D${BEN.slice(1)}`;

describe('a direct-message page whose answer was lost', () => {
  it('reaches the person once, and 👀 on it acknowledges', async () => {
    let cut = 0;
    h.fake.beforeAnswer(async ({ method, params }) => {
      if (method !== 'chat.postMessage' || params.channel !== BEN_DM || cut > 0) return;
      cut++;
      return { status: 500 };
    });
    expect((await h.command(ANN, '/incident open svc production checkout is failing')).status).toBe(200);
    await h.waitFor('the incident in its channel', () =>
      h.fake.messages.find((m) => !m.threadTs && m.text.includes('INC-1')),
    );
    await h.waitFor(
      'the page tried again and recorded',
      async () => {
        // The cut-off post, then either a lookup that finds it or a second post.
        const tried = h.fake.calls.filter(
          (c) =>
            (c.method === 'conversations.history' || c.method === 'chat.postMessage') &&
            c.params.channel === BEN_DM,
        );
        return tried.length > 1 && (await h.preflight.settled());
      },
      30_000,
    );
    h.fake.beforeAnswer(undefined);
    expect(cut).toBe(1);
    const pages = h.fake.messages.filter((m) => m.channel === BEN_DM && m.text.includes('INC-1'));
    expect(pages).toHaveLength(1);
    const [page] = pages;
    if (!page) throw new Error('no page');
    expect((await h.react(BEN, page, 'eyes')).status).toBe(200);
    await h.waitFor('the incident acknowledged', async () => {
      const incident = await h.preflight.engine.incidents.get('INC-1');
      return incident?.state === 'acknowledged' ? incident : undefined;
    });
  }, 60_000);
});
