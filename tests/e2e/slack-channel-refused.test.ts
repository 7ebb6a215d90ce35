/**
 * A channel that refuses Preflight's posts (it was removed from it, the channel was archived): the people who
 * must act are told directly. The requester learns once that nobody can see the deployment's thread; a page that
 * cannot be posted in the incident channel reaches each paged person as a direct message, and 👀 there counts.
 * What was refused is not lost: once Preflight is let in again, the thread appears with what waits in it, in order
 * and once, without anyone doing anything, and the deployment goes on.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEPLOY_CHANNEL, type FakeMessage, INCIDENT_CHANNEL } from '../helpers/fake-slack-api.ts';
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
const inDeploy = () => h.fake.messages.filter((m) => m.channel === DEPLOY_CHANNEL);
const delivery = (m: FakeMessage) => String(m.metadata?.event_payload.delivery ?? '');
/** What `/deploy status <id>` answers Ben, privately. */
async function statusOf(id: string): Promise<string> {
  const { tag } = await h.command(BEN, `/deploy status ${id}`);
  const reply = await h.waitFor('the status reply', () => h.fake.responses.find((r) => r.tag === tag));
  return String(reply.body.text);
}
/** What Preflight answered the command sent with `tag`. */
async function answerTo(tag: string): Promise<string> {
  const reply = await h.waitFor('the answer', () => h.fake.responses.find((r) => r.tag === tag));
  return String(reply.body.text);
}
const directTo = (user: string, text: string) =>
  h.fake.messages.filter((m) => m.channel === `D${user.slice(1)}` && m.text.includes(text));

describe('a channel that refuses posts', () => {
  it('the requester is told once that nobody can see the deployment', async () => {
    h.fake.refuse(DEPLOY_CHANNEL, 'not_in_channel');
    const start = await h.command(ANN, '/deploy start svc v1.0.0');
    expect(start.status).toBe(200);
    // The answer does not send Ann to a channel that shows nothing: it says the thread is not there, what happens
    // to the deployment and what to do.
    const answer = await answerTo(start.tag);
    expect(answer).not.toContain('Follow it in');
    expect(answer).toContain(
      `Starting svc-1: svc v1.0.0 → production. ⚠️ Its thread could not be posted in <#${DEPLOY_CHANNEL}>: Preflight's posts there are refused`,
    );
    expect(answer).toContain('svc-1 has started and waits');
    expect(answer).toContain('nobody can see it, tick its checklist or approve its gates there');
    expect(answer).toContain(`Invite Preflight to <#${DEPLOY_CHANNEL}>`);
    expect(answer).toContain('`channels.deploy`');
    expect(answer).toContain('`/deploy status svc-1`');
    expect(answer).toContain('`/deploy abort svc-1`');
    const told = await h.waitFor('the direct message', () => directTo(ANN, 'svc-1')[0]);
    expect(told.text).toContain("Preflight's posts in #deployments are refused");
    expect(told.text).toContain('nobody can approve its gates');
    expect(told.text).toContain('it tries again at least once a minute, and then posts the thread');
    expect(told.text).toContain('/deploy abort svc-1');
    // The checklist item and the rest are refused too, tried again meanwhile; the requester is not told again.
    await sleep(1_500);
    expect(directTo(ANN, 'svc-1')).toHaveLength(1);
    expect(inDeploy()).toEqual([]);
    // Anyone who asks where it stands is told too (once the refusal is recorded, just after the message above).
    const said = await h.waitFor('the status saying the channel refuses', async () => {
      const text = await statusOf('svc-1');
      return text.includes('refuses') ? text : undefined;
    });
    expect(said).toContain(
      "⚠️ #deployments refuses Preflight's posts, so this thread's new messages are not shown there (they wait, in order). Give Preflight access to that channel",
    );
  });

  it('once Preflight is let in, the thread appears in order with the checklist item it waits on, and goes on', async () => {
    // The status message, the checklist and its item have all met the refusal by now (or wait behind it).
    const refusedCalls = () =>
      h.fake.calls.filter((c) => c.params.channel === DEPLOY_CHANNEL && c.error === 'not_in_channel').length;
    await h.waitFor('the refused posts', () => refusedCalls() >= 3);
    h.fake.refuse(DEPLOY_CHANNEL, undefined);
    const item = await h.waitFor('the checklist item', () =>
      inDeploy().find((m) => delivery(m) === 'svc-1:checklist-item:notes'),
    );
    const status = inDeploy().find((m) => m.ts === item.threadTs);
    expect(status?.text).toContain('svc v1.0.0');
    expect(status?.threadTs).toBeUndefined();
    // The status message first, then what waits in its thread, in the order it was queued; nothing twice.
    expect(inDeploy().map(delivery)).toEqual([
      'svc-1:status',
      'svc-1:checklist',
      'svc-1:checklist-item:notes',
    ]);
    expect(inDeploy().every((m) => m === status || m.threadTs === status?.ts)).toBe(true);
    // Ben can tick it now, and the deployment asks for its gate in the same thread.
    expect((await h.react(BEN, item, 'white_check_mark')).status).toBe(200);
    const gate = await h.waitFor('the gate prompt', () =>
      inDeploy().find((m) => m.text.includes('*Go* gate')),
    );
    expect(gate.threadTs).toBe(status?.ts);
    expect(directTo(ANN, 'svc-1')).toHaveLength(1);
    expect(await statusOf('svc-1')).not.toContain('refuses');
  });

  it('a channel that refuses a thread it showed holds the next prompt, tells the requester, and shows it once let in', async () => {
    expect((await h.command(ANN, '/deploy abort svc-1')).status).toBe(200);
    await h.waitForState('svc-1', ['aborted']);
    expect((await h.command(ANN, '/deploy start svc v1.0.1')).status).toBe(200);
    const item = await h.waitFor('the checklist item', () =>
      inDeploy().find((m) => delivery(m) === 'svc-2:checklist-item:notes'),
    );
    h.fake.refuse(DEPLOY_CHANNEL, 'is_archived');
    expect((await h.react(BEN, item, 'white_check_mark')).status).toBe(200);
    const told = await h.waitFor('the direct message', () => directTo(ANN, 'svc-2')[0]);
    expect(told.text).toContain("the new messages in svc-2's thread");
    expect(told.text).toContain('nobody can approve its gates');
    expect(inDeploy().filter((m) => delivery(m) === 'svc-2:gate:go')).toEqual([]);
    h.fake.refuse(DEPLOY_CHANNEL, undefined);
    const gate = await h.waitFor('the gate prompt', () =>
      inDeploy().find((m) => delivery(m) === 'svc-2:gate:go'),
    );
    expect(gate.threadTs).toBe(item.threadTs);
    expect(inDeploy().filter((m) => delivery(m) === 'svc-2:gate:go')).toHaveLength(1);
  });

  it('a page that cannot be posted reaches the paged person directly, and 👀 on it acknowledges', async () => {
    h.fake.refuse(INCIDENT_CHANNEL, 'is_archived');
    const open = await h.command(ANN, '/incident open svc production checkout is failing');
    expect(open.status).toBe(200);
    // Opened (it is recorded, and paging), but not announced as posted in a channel that shows nothing.
    const answer = await answerTo(open.tag);
    expect(answer).not.toContain(`opened in <#${INCIDENT_CHANNEL}>`);
    expect(answer).toContain('🚨 INC-1 opened for svc production; paging L1.');
    expect(answer).toContain(
      `⚠️ Its post could not be made in <#${INCIDENT_CHANNEL}>: Preflight's posts there are refused`,
    );
    expect(answer).toContain('INC-1 is open all the same');
    expect(answer).toContain('its pages go to each paged person directly');
    expect(answer).toContain(`Invite Preflight to <#${INCIDENT_CHANNEL}>`);
    expect(answer).toContain('`channels.incident`');
    expect(answer).toContain('`/ack INC-1`');
    const page = await h.waitFor('the page by direct message', () => directTo(BEN, 'INC-1')[0]);
    expect(page.text).toContain("Preflight's posts in #incident-response are refused");
    expect(page.text).toContain('/ack INC-1');
    expect(directTo(ANN, 'INC-1')).toEqual([]);
    expect((await h.react(BEN, page, 'eyes')).status).toBe(200);
    await h.waitFor('the acknowledgement', async () => {
      const incident = await h.preflight.engine.incidents.get('INC-1');
      return incident?.state === 'acknowledged' ? incident : undefined;
    });
    // Let in again, the channel shows the incident with its acknowledgement under it, each once; the page that
    // waited is not posted now that it is answered (the incident's message still says who was paged).
    h.fake.refuse(INCIDENT_CHANNEL, undefined);
    const posted = await h.waitFor('the incident in its channel', () => {
      const found = h.fake.messages.filter((m) => m.channel === INCIDENT_CHANNEL);
      return found.some((m) => delivery(m).startsWith('INC-1:note:ack:')) && found;
    });
    await h.preflight.chat.queue.idle();
    const [root, ...replies] = h.fake.messages.filter((m) => m.channel === INCIDENT_CHANNEL);
    expect(delivery(root as FakeMessage)).toBe('INC-1:incident');
    expect(root?.text).toContain('Paged: L1 <@U0BEN0001>');
    expect(replies.every((m) => m.threadTs === root?.ts)).toBe(true);
    expect(replies.map(delivery).filter((d) => d.startsWith('INC-1:page'))).toEqual([]);
    expect(new Set(posted.map(delivery)).size).toBe(posted.length);
  });

  it('an answer that says it was said in a thread the channel now refuses says that it is not shown there yet', async () => {
    const refusals = () =>
      h.fake.calls.filter((c) => c.params.channel === INCIDENT_CHANNEL && c.error === 'is_archived').length;
    const before = refusals();
    h.fake.refuse(INCIDENT_CHANNEL, 'is_archived');
    // What Ann adds to the open incident is said in its thread, which the channel now refuses.
    const open = await h.command(ANN, '/incident open svc production checkout still failing');
    expect(open.status).toBe(200);
    await answerTo(open.tag);
    await h.waitFor('the refused note in the incident thread', () => refusals() > before);
    const resolved = await h.command(ANN, '/incident resolve INC-1');
    const answer = await answerTo(resolved.tag);
    expect(answer).toContain('✅ INC-1 resolved; said so in its thread in');
    expect(answer).toContain(
      "(⚠️ its new messages are not shown there yet: Preflight's posts there are refused, they wait and go out once it may post there)",
    );
    h.fake.refuse(INCIDENT_CHANNEL, undefined);
  });
});
