/**
 * `/rollback` while a rollback waits for approval, through the real dispatcher and engine: from someone who may
 * approve it, it is that approval (four eyes hold: the asker's own does not count); everyone else is told who it
 * waits for and how they approve, never to "wait for the rollback to finish", which nothing would.
 */
import { describe, expect, it } from 'vitest';
import type { Harness } from '../../helpers/engine-harness.ts';
import { useEngineSuite } from '../../helpers/engine-suite.ts';
import { eventually, incidentNotes } from '../../helpers/incident-world.ts';

const suite = useEngineSuite();

const runbook = (required: number) => `version: 1
service: toy
timezone: UTC
environments: { production: { default: true } }
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  alice: { name: Alice Adams }
  bob: { name: Bob Brown }
  carol: { name: Carol Chen }
  dave: { name: Dave Diaz }
groups: { oncall: [alice, bob], team-lead: [carol], devops: [alice, bob, carol, dave] }
permissions: { deploy: [devops], rollback: [oncall, team-lead, devops], pause: [devops] }
gates: { go: { approvers: [devops] } }
steps:
  - { id: ship, title: Ship, needs: [go], run: 'true' }
rollback:
  approval: { approvers: [oncall, team-lead], required: ${required}, allow_self: false }
  steps:
    - { id: undo, title: Undo, run: 'true' }
escalation: { levels: [{ id: L1, notify: [alice], respond_within: 15m }] }
`;

/** What `person` is answered when typing `text` in the terminal chat. */
async function type(h: Harness, person: string, text: string): Promise<string | undefined> {
  const reply = await h.preflight.chat.dispatcher.command({
    platform: 'console',
    userId: person,
    channel: '#deployments',
    text,
  });
  return reply?.text;
}

const HOW = 'the Approve rollback button or ✅ on the rollback message in its thread, or their own /rollback';

/** Dave approves the deployment and its step starts, as a worker would: from then on it has something to roll back. */
async function startShip(h: Harness, id: string): Promise<void> {
  for (const event of [
    { type: 'gate.approve', gate: 'go', by: 'dave' },
    { type: 'step.start', phase: 'deploy', step: 'ship', runId: `${id}-ship` },
  ] as const) {
    const outcome = await h.apply(id, event);
    if (!outcome.ok) throw outcome.error;
  }
}

/** Starts toy-1 (Alice asks), lets its step start and has Alice ask for its rollback. */
async function rollbackAskedByAlice(required: number): Promise<Harness> {
  const h = await suite.start({ runbook: runbook(required), work: false });
  const started = await h.start('v1.3.0', 'alice');
  if (!started.ok) throw started.error;
  await startShip(h, 'toy-1');
  expect(await type(h, 'alice', '/rollback toy-1')).toBe(
    `toy-1: rollback asked; it needs ${required === 1 ? '1 more approval' : `${required} more approvals`} (see its thread in #deployments).`,
  );
  expect((await h.get('toy-1')).rollback).toMatchObject({ by: 'alice', started: false, approvals: [] });
  return h;
}

describe('/rollback while a rollback waits for approval', () => {
  it('tells the asker and anyone else who it waits for; from Bob it is his approval, and the rollback runs', async () => {
    const h = await rollbackAskedByAlice(1);
    const waits = `it waits for 1 more approval, from Bob Brown or Carol Chen: ${HOW}`;

    // Alice asked: four eyes, her own does not count.
    expect(await type(h, 'alice', '/rollback toy-1')).toBe(
      `⚠️ you asked for the rollback of toy-1, so your approval does not count; ${waits}`,
    );
    // Dave may ask for rollbacks but does not approve them.
    expect(await type(h, 'dave', '/rollback toy-1')).toBe(
      `⚠️ only Alice Adams, Bob Brown, Carol Chen can approve the rollback of toy-1, so yours was not counted; ${waits}`,
    );
    // Anything else the deployment cannot take now says the same, not "wait for the rollback to finish".
    expect(await type(h, 'carol', '/deploy pause toy-1')).toBe(
      `⚠️ deployment toy-1 is waiting for its rollback to be approved, so it cannot take that now; ${waits}`,
    );
    expect((await h.get('toy-1')).rollback).toMatchObject({ started: false, approvals: [] });

    expect(await type(h, 'bob', '/rollback toy-1')).toBe('toy-1: rolling back toy.');
    const d = await h.get('toy-1');
    expect(d.rollback).toMatchObject({ by: 'alice', started: true, approvals: [{ by: 'bob' }] });
    const audit = await h.preflight.engine.store.audit('toy-1');
    expect(audit.filter((r) => r.type === 'rollback.approval').map((r) => r.actor)).toEqual(['bob']);
  });

  it('counts an approver’s /rollback once when more approvals are needed, and says who else it waits for', async () => {
    const h = await rollbackAskedByAlice(2);
    expect(await type(h, 'bob', '/rollback toy-1')).toBe(
      'toy-1: your approval of the rollback is counted (1 of 2).',
    );
    expect(await type(h, 'bob', '/rollback toy-1')).toBe(
      `toy-1: you approved this rollback already; it waits for 1 more approval, from Carol Chen: ${HOW}.`,
    );
    expect((await h.get('toy-1')).rollback).toMatchObject({ started: false, approvals: [{ by: 'bob' }] });
    expect(await type(h, 'carol', '/rollback toy-1')).toBe('toy-1: rolling back toy.');
    expect((await h.get('toy-1')).rollback).toMatchObject({
      started: true,
      approvals: [{ by: 'bob' }, { by: 'carol' }],
    });
  });
});

describe('a ✅ on the rollback message taken off before the rollback runs', () => {
  it('withdraws that approval, as on a gate: the rollback waits for it again, and runs on two approvals that stand', async () => {
    const h = await rollbackAskedByAlice(2);
    const at = (await h.get('toy-1')).rollback?.at;
    const ref = {
      platform: 'console' as const,
      channel: '#deployments',
      id: 'rollback-message',
      thread: 't',
    };
    await h.preflight.chat.index.save('toy-1', `rollback:${at}`, ref);
    const react = (person: string, added: boolean) =>
      h.preflight.chat.dispatcher.reaction({
        platform: 'console',
        userId: person,
        channel: ref.channel,
        messageId: ref.id,
        emoji: 'white_check_mark',
        added,
      });
    const approvers = async () => (await h.get('toy-1')).rollback?.approvals.map((a) => a.by);

    await react('bob', true);
    expect(await approvers()).toEqual(['bob']);
    await react('bob', false);
    expect(await approvers()).toEqual([]);
    expect((await h.get('toy-1')).rollback?.started).toBe(false);
    const audit = await h.preflight.engine.store.audit('toy-1');
    expect(audit.filter((r) => r.type === 'rollback.approval_withdrawn').map((r) => r.actor)).toEqual([
      'bob',
    ]);
    // Taken off by one who had not approved: nothing changes, nothing is said.
    expect(await react('carol', false)).toEqual({ known: true });

    await react('carol', true);
    await react('bob', true);
    expect((await h.get('toy-1')).rollback).toMatchObject({
      started: true,
      approvals: [{ by: 'carol' }, { by: 'bob' }],
    });
    // Once it runs, taking a ✅ off changes nothing.
    await react('carol', false);
    expect(await approvers()).toEqual(['carol', 'bob']);
  });
});

describe('/rollback of a deployment with an open incident', () => {
  it('says in the incident thread who approved the rollback and who asked for it', async () => {
    // Working: the notes are the core's (note-incident), delivered from the outbox like every effect.
    const h = await suite.start({ runbook: runbook(1) });
    const started = await h.start('v1.3.0', 'carol');
    if (!started.ok) throw started.error;
    const approved = await h.apply('toy-1', { type: 'gate.approve', gate: 'go', by: 'dave' });
    if (!approved.ok) throw approved.error;
    await h.waitFor('toy-1', (d) => d.state === 'succeeded');
    expect(await type(h, 'alice', '/incident open toy-1 errors after the deploy')).toMatch(
      /^🚨 INC-1 opened/,
    );

    await type(h, 'alice', '/rollback toy-1');
    expect(await type(h, 'bob', '/rollback toy-1')).toMatch(
      /^toy-1: rolling back toy\. \(said so in the INC-1 thread/,
    );
    const notes = await eventually(
      async () => incidentNotes(h, 'INC-1').filter((note) => note.startsWith('🔄')),
      (found) => found.length >= 2,
    );
    expect(notes).toEqual([
      `🔄 @{alice} asked to roll back toy-1 (typed \`/rollback\`); it waits for 1 more approval, from Bob Brown or Carol Chen: ${HOW}. Its thread: #{channel|#deployments|toy-1|status}.`,
      '🔄 @{bob} approved the rollback @{alice} asked for: toy-1: rolling back toy.',
    ]);
  });
});

describe('/rollback without an id', () => {
  it('is about the active deployment, not a later one that ended, and asks which when several are active', async () => {
    const twoEnvironments = runbook(1).replace(
      'environments: { production: { default: true } }',
      'environments: { production: { default: true }, staging: {} }',
    );
    const h = await suite.start({ runbook: twoEnvironments, work: false });
    const live = await h.start('v1.3.0', 'carol');
    if (!live.ok) throw live.error;
    const ended = await h.start('v1.3.1', 'carol', 'staging');
    if (!ended.ok) throw ended.error;
    expect(await type(h, 'carol', '/deploy abort toy-2 wrong build')).toBe('toy-2: deployment aborted.');
    await startShip(h, 'toy-1');

    expect(await type(h, 'alice', '/rollback')).toMatch(/^toy-1: rollback asked/);
    expect((await h.get('toy-1')).rollback).toMatchObject({ by: 'alice' });
    expect((await h.get('toy-2')).rollback).toBeUndefined();

    const another = await h.start('v1.3.2', 'carol', 'staging');
    if (!another.ok) throw another.error;
    expect(await type(h, 'bob', '/rollback')).toBe(
      '⚠️ 2 deployments are active (toy-3, toy-1); name the one you mean',
    );
  });
});
