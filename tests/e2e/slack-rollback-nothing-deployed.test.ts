/**
 * Slack end to end: a rollback asked for before any step of the deployment started (/rollback, 🔄 on its status
 * message or on an incident about it) is refused to the person with what to do instead, on every path, and the
 * incident offers no Roll back (no button that could only be refused); the deployment still waits for its
 * approval, goes on once approved, and once its step has run the incident message, drawn again, offers Roll back,
 * which rolls it back.
 */
import { describe, expect, it } from 'vitest';
import { slackShows } from '../helpers/chat-markup.ts';
import { DEPLOY_CHANNEL, type FakeMessage, INCIDENT_CHANNEL } from '../helpers/fake-slack-api.ts';
import { ANN, BEN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const suite = useSlackSuite(oneGateRunbook('shop', { rollbackApproval: true }));

const REFUSAL =
  '⚠️ nothing of shop-1 (shop v1.0.0) was deployed: no step of it has started, so there is nothing to roll back. To stop it, `/deploy abort shop-1`';

/** The actions of the buttons on a Slack message, in order. */
const actionsOn = (m: FakeMessage): string[] =>
  m.blocks.flatMap((b) =>
    ((b as { elements?: { action_id?: string }[] }).elements ?? []).map((e) => String(e.action_id)),
  );

const rootOf = (id: string) => (): FakeMessage | undefined =>
  suite.h.fake.messages.find(
    (m) => m.channel === DEPLOY_CHANNEL && m.threadTs === undefined && m.text.includes(`(${id})`),
  );

describe('a rollback before any step of the deployment started', () => {
  it('is refused on every Slack path with what to do instead, and the deployment goes on as before', async () => {
    const { h } = suite;
    await h.command(ANN, '/deploy start shop v1.0.0');
    const root = await h.waitFor('the status message of shop-1', rootOf('shop-1'));
    const gate = await h.waitFor('the Go gate', () =>
      h.fake.messages.find(
        (m) => m.threadTs === root.ts && m.text.includes('*Go* gate') && m.blocks.length > 1,
      ),
    );
    await h.waitForState('shop-1', ['awaiting_gates']);

    const typed = await h.command(BEN, '/rollback shop-1');
    const answer = await h.waitFor('the answer to /rollback', () =>
      h.fake.responses.find((r) => r.tag === typed.tag),
    );
    expect(slackShows(String(answer.body.text))).toBe(slackShows(REFUSAL));

    expect((await h.react(BEN, root, 'arrows_counterclockwise')).status).toBe(200);
    const whisper = await h.waitFor('the ephemeral answer to 🔄', () =>
      h.fake.calls.find((c) => c.method === 'chat.postEphemeral' && c.params.user === BEN),
    );
    expect(slackShows(String(whisper.params.text))).toBe(slackShows(REFUSAL));

    await h.command(ANN, '/incident open shop-1 the error rate is climbing');
    const incident = await h.waitFor('the incident message', () =>
      h.fake.messages.find((m) => m.channel === INCIDENT_CHANNEL && !m.threadTs && m.text.includes('INC-1')),
    );
    expect(actionsOn(incident)).toEqual(['incident.ack']);
    expect(incident.text).not.toContain('Roll back');
    expect((await h.react(ANN, incident, 'arrows_counterclockwise')).status).toBe(200);
    const onIncident = await h.waitFor('the ephemeral answer to 🔄 on the incident', () =>
      h.fake.calls.find((c) => c.method === 'chat.postEphemeral' && c.params.user === ANN),
    );
    expect(slackShows(String(onIncident.params.text))).toBe(slackShows(REFUSAL));

    // Nothing moved: no rollback asked, recorded or posted; the deployment still waits for its gate.
    await h.waitFor('everything sent', () => h.preflight.settled(), 30_000);
    const waiting = await h.preflight.engine.store.get('shop-1');
    expect(waiting?.state).toBe('awaiting_gates');
    expect(waiting?.rollback).toBeUndefined();
    const audit = await h.preflight.engine.store.audit('shop-1');
    expect(audit.filter((r) => r.type.startsWith('rollback.'))).toEqual([]);
    expect(h.fake.messages.filter((m) => m.text.includes('*Rollback* of shop-1'))).toEqual([]);

    // Approved, it deploys; now its step has run, and a rollback is taken.
    await h.react(BEN, gate, 'white_check_mark');
    await h.waitForState('shop-1', ['succeeded']);
    // Said again, the incident takes it as a cause and draws its message again: now with Roll back, which is taken.
    await h.command(ANN, '/incident open shop-1 the error rate is still climbing');
    await h.waitFor('Roll back on the incident message', () =>
      actionsOn(incident).includes('rollback.request') ? incident : undefined,
    );
    expect(incident.text).toContain('press Roll back');
    await h.click(BEN, incident, 'rollback.request');
    await h.waitForState('shop-1', ['rolled_back']);
  }, 120_000);
});
