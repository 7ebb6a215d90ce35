/**
 * Nothing acknowledged is lost: Slack gets its 200 only once the request is recorded in Redis. With Redis down,
 * an approval is answered 500 (Slack delivers it again) and a command says it was not recorded; once Redis is
 * back, the redelivered approval counts once.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../helpers/fake-slack-api.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const ANN = 'U0ANN0001';
const BEN = 'U0BEN0001';

const RUNBOOK = `version: 1
service: inbox
timezone: UTC
environments: { production: { default: true } }
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  ann: { name: Ann, slack: ${ANN} }
  ben: { name: Ben, slack: ${BEN} }
groups: { ops: [ann, ben] }
permissions: { deploy: [ops], rollback: [ops] }
gates:
  go: { title: Go, approvers: [ops], required: 1 }
steps:
  - { id: build, title: Build, needs: [go], run: "true" }
rollback:
  steps:
    - { id: undo, title: Undo, run: "true" }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`;

const suite = useSlackSuite(RUNBOOK);
let h: SlackHarness;
beforeAll(() => {
  h = suite.h;
});

describe('the inbox', () => {
  it('answers 500 to an approval it could not record, and counts the redelivery once', async () => {
    const started = await h.command(ANN, '/deploy start inbox v1.0.0');
    expect(started.status).toBe(200);
    const gate: FakeMessage = await h.waitFor('the gate message', () =>
      h.fake.messages.find((m) => m.text.includes('*Go* gate')),
    );
    await suite.redis.kill();
    const refused = await h.react(BEN, gate, 'white_check_mark', { eventId: 'Ev0INBOX0001' });
    expect(refused.status).toBe(500);
    const command = await h.command(ANN, '/deploy status inbox-1');
    expect(command.status).toBe(200);
    expect(command.body).toContain('could not record that just now');
    await suite.redis.restart();
    const again = await h.waitFor('a 200 for the redelivery', async () => {
      const answer = await h.react(BEN, gate, 'white_check_mark', { eventId: 'Ev0INBOX0001', retryNum: 1 });
      return answer.status === 200 ? answer : undefined;
    });
    expect(again.status).toBe(200);
    await h.react(BEN, gate, 'white_check_mark', { eventId: 'Ev0INBOX0001', retryNum: 2 });
    const d = await h.waitForState('inbox-1', ['succeeded']);
    expect(d.gates[0]?.approvals.map((a) => a.by)).toEqual(['ben']);
    const approvals = (await h.preflight.engine.store.audit('inbox-1')).filter(
      (r) => r.type === 'gate.approval' || r.type === 'gate.approved',
    );
    expect(approvals).toHaveLength(1);
  });
});
