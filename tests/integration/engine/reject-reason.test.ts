/**
 * The reason for a rejection given as a reply in the deployment's thread: kept as written up to 500 characters,
 * and a longer one cut where a character ends, marked with "…", never through an emoji.
 */
import { describe, expect, it } from 'vitest';
import { useEngineSuite } from '../../helpers/engine-suite.ts';
import { threadOf } from '../../helpers/incident-world.ts';

const suite = useEngineSuite();

const runbook = `version: 1
service: toy
timezone: UTC
environments: { production: { default: true } }
channels: { deploy: "#deploy", incident: "#incident" }
people: { ann: { name: Ann }, ben: { name: Ben } }
groups: { ops: [ann, ben] }
permissions: { deploy: [ops], rollback: [ops] }
gates: { go: { approvers: [ops] } }
steps:
  - { id: ship, title: Ship, needs: [go], run: 'true' }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`;

describe('a rejection reason replied in the thread', () => {
  it('is cut where a character ends and marked, when it is longer than 500 characters', async () => {
    const h = await suite.start({ runbook, work: false });
    const started = await h.start('v1.0.0', 'ann');
    if (!started.ok) throw started.error;
    const id = started.deployment.id;
    await h.waitFor(id, (d) => d.state === 'awaiting_gates');
    const rejected = await h.apply(id, { type: 'gate.reject', gate: 'go', by: 'ben' });
    if (!rejected.ok) throw rejected.error;

    const thread = await threadOf(h, id);
    await h.preflight.chat.dispatcher.threadMessage({
      platform: 'console',
      userId: 'ben',
      channel: thread.channel,
      threadId: thread.threadId,
      text: `${'x'.repeat(499)}🚀 and more`,
    });
    const reason = (await h.get(id)).gates.find((g) => g.id === 'go')?.rejection?.reason;
    expect(reason).toBe(`${'x'.repeat(499)}…`);
  });
});
