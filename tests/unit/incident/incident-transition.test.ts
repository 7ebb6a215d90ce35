import { describe, expect, it } from 'vitest';
import { toDiscordMarkdown } from '../../../src/bot/discord/discord-message.ts';
import { renderIncidentTopic } from '../../../src/bot/render/render-incident.ts';
import {
  type Incident,
  type IncidentEffect,
  literal,
  openIncident,
  transitionIncident,
} from '../../../src/core/index.ts';
import { discordShows } from '../../helpers/chat-markup.ts';
import { TEST_RUNBOOK, testRunbook } from '../../helpers/deployment-fixture.ts';

const runbook = testRunbook();
const t0 = Date.parse('2026-01-07T08:00:00Z');
const draft = {
  id: 'INC-1',
  service: 'shop',
  environment: 'production',
  deploymentId: 'shop-1',
  runbookDigest: 'd',
  origin: 'console' as const,
  title: 'health failing',
  trigger: 'service-failure',
  openedBy: 'preflight',
  openedAt: t0,
};

function open(): { incident: Incident; effects: readonly IncidentEffect[] } {
  const result = openIncident({ runbook, now: t0 }, draft);
  if (!result.ok) throw result.error;
  return result;
}

describe('an incident', () => {
  it('pages L1 at once and schedules L2 for when L1 has not answered', () => {
    const { incident, effects } = open();
    expect(incident.state).toBe('open');
    expect(incident.pages).toEqual([{ level: 0, levelId: 'L1', repeat: 0, at: t0, people: ['ann'] }]);
    expect(effects).toContainEqual({ type: 'page', level: 0, repeat: 0, people: ['ann'], via: ['mention'] });
    expect(effects).toContainEqual({
      type: 'incident-timer',
      page: { level: 1, after: 15 * 60_000, repeat: 0 },
      at: t0 + 15 * 60_000,
    });
  });

  it('pages L2 when its timer fires, then repeats the last level', () => {
    const { incident } = open();
    const l2 = transitionIncident({ runbook, now: t0 + 15 * 60_000 }, incident, {
      type: 'incident.page',
      page: { level: 1, after: 15 * 60_000, repeat: 0 },
    });
    if (!l2.ok) throw l2.error;
    expect(l2.incident.pages.map((p) => p.levelId)).toEqual(['L1', 'L2']);
    expect(l2.incident.next).toEqual({ level: 1, after: 45 * 60_000, repeat: 1 });
    const stale = transitionIncident({ runbook, now: t0 + 16 * 60_000 }, l2.incident, {
      type: 'incident.page',
      page: { level: 1, after: 15 * 60_000, repeat: 0 },
    });
    expect(stale.ok && stale.changed).toBe(false);
  });

  it('paged late (no worker or no Redis for a while), gives that level its whole time from now: no burst', () => {
    const { incident } = open();
    // L2 was due at 15 min; everything was down until 2 h.
    const now = t0 + 2 * 3_600_000;
    const l2 = transitionIncident({ runbook, now }, incident, {
      type: 'incident.page',
      page: { level: 1, after: 15 * 60_000, repeat: 0 },
    });
    if (!l2.ok) throw l2.error;
    const timer = l2.effects.find((e) => e.type === 'incident-timer');
    // L2's respond_within (30 min) counts from the late page, not from when it was due.
    expect(timer).toEqual({
      type: 'incident-timer',
      page: { level: 1, after: 2 * 3_600_000 + 30 * 60_000, repeat: 1 },
      at: now + 30 * 60_000,
    });
    expect(l2.incident.next?.after).toBe(2 * 3_600_000 + 30 * 60_000);
    // The people paged are told the incident has waited longer than the ladder says.
    const post = (inc: Incident, level: number) =>
      renderIncidentTopic({ incident: inc, runbook, now }, { kind: 'page', level, repeat: 0 }).text;
    expect(post(l2.incident, 1)).toContain(
      '⏰ This page went out 1h45m late: Preflight could not page meanwhile. The incident opened 2h before it.',
    );
    expect(l2.audit.find((a) => a.type === 'incident.paged')?.detail).toMatchObject({
      late_ms: 105 * 60_000,
    });
    const onTime = transitionIncident({ runbook, now: t0 + 15 * 60_000 + 900 }, incident, {
      type: 'incident.page',
      page: { level: 1, after: 15 * 60_000, repeat: 0 },
    });
    if (!onTime.ok) throw onTime.error;
    expect(post(onTime.incident, 1)).not.toContain('late');
    expect(post(onTime.incident, 0)).not.toContain('late');
  });

  it('is acknowledged by a paged person, which stops paging and tells PagerDuty', () => {
    const { incident } = open();
    const acked = transitionIncident({ runbook, now: t0 + 60_000 }, incident, {
      type: 'incident.ack',
      by: 'ann',
    });
    if (!acked.ok) throw acked.error;
    expect(acked.incident.state).toBe('acknowledged');
    expect(acked.incident.next).toBeUndefined();
    expect(acked.effects).toContainEqual({ type: 'pager-update', action: 'acknowledge' });
    const late = transitionIncident({ runbook, now: t0 + 15 * 60_000 }, acked.incident, {
      type: 'incident.page',
      page: { level: 1, after: 15 * 60_000, repeat: 0 },
    });
    expect(late.ok && late.changed).toBe(false);
  });

  it('refuses an ack from someone outside the escalation path', () => {
    const { incident } = open();
    const refused = transitionIncident({ runbook, now: t0 }, incident, { type: 'incident.ack', by: 'dan' });
    expect(refused.ok).toBe(false);
    if (!refused.ok)
      expect(refused.error.message).toBe(
        'only the people paged for INC-1 or above them can acknowledge it: Ann, Ben',
      );
  });

  it('resolves once', () => {
    const { incident } = open();
    const resolved = transitionIncident({ runbook, now: t0 }, incident, {
      type: 'incident.resolve',
      by: 'ben',
      note: 'rolled back',
    });
    if (!resolved.ok) throw resolved.error;
    expect(resolved.incident.resolution).toEqual({ by: 'ben', at: t0, note: 'rolled back' });
    const again = transitionIncident({ runbook, now: t0 }, resolved.incident, {
      type: 'incident.resolve',
      by: 'ben',
    });
    expect(again.ok).toBe(false);
  });

  it('names who resolved it, not who acknowledged it, when an ack comes after the resolution', () => {
    const { incident } = open();
    const acked = transitionIncident({ runbook, now: t0 }, incident, { type: 'incident.ack', by: 'ann' });
    if (!acked.ok) throw acked.error;
    const resolved = transitionIncident({ runbook, now: t0 }, acked.incident, {
      type: 'incident.resolve',
      by: 'ben',
    });
    if (!resolved.ok) throw resolved.error;
    const late = transitionIncident({ runbook, now: t0 }, resolved.incident, {
      type: 'incident.ack',
      by: 'ann',
    });
    expect(late.ok).toBe(false);
    if (!late.ok) expect(late.error.message).toBe('INC-1 is already resolved by Ben');
  });
});

describe('what Alertmanager and a rollback say in an incident thread', () => {
  const notes = (effects: readonly IncidentEffect[]) =>
    effects.flatMap((e) =>
      e.type === 'incident-post' && e.topic.kind === 'note' ? [toDiscordMarkdown(e.topic.text)] : [],
    );

  it('shows an alert’s name as written, never as markup, when part of the incident recovers', () => {
    const firing = { ...open().incident, alerts: ['a@1', 'b@1'] };
    const partly = transitionIncident({ runbook, now: t0 }, firing, {
      type: 'incident.alerts-resolved',
      alerts: ['a@1'],
      names: '**Disk**Full [x](https://evil.example)',
    });
    if (!partly.ok) throw partly.error;
    const [note] = notes(partly.effects);
    expect(note).toContain('still firing');
    expect(note).not.toContain('**Disk**');
    expect(discordShows(note ?? '')).toContain('**Disk**Full [x](https://evil.example) resolved');
  });

  it('shows how the rollback ended as written', () => {
    const ended = transitionIncident({ runbook, now: t0 }, open().incident, {
      type: 'incident.rollback-ended',
      state: 'rollback_failed',
      // As core composes it: Preflight's words, the step's failure a literal span.
      outcome: `step "Undo" failed: ${literal('||boom||')}`,
    });
    if (!ended.ok) throw ended.error;
    const [note] = notes(ended.effects);
    expect(note).not.toContain('||boom||');
    expect(discordShows(note ?? '')).toContain('failed: step "Undo" failed: ||boom||.');
  });
});

describe('a repeat of the last level', () => {
  it('asks for an answer within repeat_last_every, and is one entry in the incident’s Paged line', () => {
    const repeating = testRunbook(
      TEST_RUNBOOK.replace('respond_within: 30m }] }', 'respond_within: 30m }], repeat_last_every: 10m }'),
    );
    const opened = openIncident({ runbook: repeating, now: t0 }, draft);
    if (!opened.ok) throw opened.error;
    let incident = opened.incident;
    for (const page of [
      { level: 1, after: 15 * 60_000, repeat: 0 },
      { level: 1, after: 45 * 60_000, repeat: 1 },
    ]) {
      const paged = transitionIncident({ runbook: repeating, now: t0 + page.after }, incident, {
        type: 'incident.page',
        page,
      });
      if (!paged.ok) throw paged.error;
      incident = paged.incident;
    }
    expect(incident.next).toEqual({ level: 1, after: 55 * 60_000, repeat: 2 });
    const said = (repeat: number) =>
      renderIncidentTopic({ incident, runbook: repeating, now: t0 }, { kind: 'page', level: 1, repeat }).text;
    expect(said(0)).toContain('answer within 30m');
    expect(said(1)).toContain('answer within 10m');
    // The incident's message lists each level once and its repeats as one entry, however many there are.
    const pagedLine = () =>
      renderIncidentTopic({ incident, runbook: repeating, now: t0 }, { kind: 'incident' })
        .text.split('\n')
        .find((line) => line.startsWith('Paged: '));
    expect(pagedLine()).toMatch(
      /^Paged: L1 @\{ann\} at .+; L2 @\{ben\} at .+; L2 again once, last @\{ben\} at .+$/,
    );
    for (let n = 0; n < 40; n++) {
      const page = incident.next;
      if (!page) throw new Error('nothing scheduled');
      const paged = transitionIncident({ runbook: repeating, now: t0 + page.after }, incident, {
        type: 'incident.page',
        page,
      });
      if (!paged.ok) throw paged.error;
      incident = paged.incident;
    }
    expect(pagedLine()).toMatch(/; L2 again 41 times, last @\{ben\} at [^;]+$/);
    expect(pagedLine()?.length).toBeLessThan(200);
  });
});

describe('a cleared incident whose trigger fires again', () => {
  /** INC-1 opened at t0, cleared at `clearedAt`, its trigger firing again at `firedAt`. */
  const refired = (clearedAt: number, firedAt: number) => {
    const cleared = transitionIncident({ runbook, now: clearedAt }, open().incident, {
      type: 'incident.clear',
      detail: 'health passing',
    });
    if (!cleared.ok) throw cleared.error;
    const again = transitionIncident({ runbook, now: firedAt }, cleared.incident, {
      type: 'incident.cause',
      cause: { trigger: 'service-failure', title: 'health failing again', by: 'preflight', at: firedAt },
    });
    if (!again.ok) throw again.error;
    return again;
  };

  it('a minute after L1 was paged: L2 stays due when it was, L1 keeps the rest of its time', () => {
    const again = refired(t0 + 60_000, t0 + 5 * 60_000);
    expect(again.incident.pages.map((p) => p.levelId)).toEqual(['L1']);
    expect(again.incident.next).toEqual({ level: 1, after: 15 * 60_000, repeat: 0 });
    expect(again.effects).toContainEqual({
      type: 'incident-timer',
      page: { level: 1, after: 15 * 60_000, repeat: 0 },
      at: t0 + 15 * 60_000,
      refired: t0 + 5 * 60_000,
    });
    const note = again.effects.find((e) => e.type === 'incident-post' && e.topic.kind === 'note');
    expect(note?.type === 'incident-post' && note.topic.kind === 'note' && note.topic.text).toContain(
      'Paging resumes where it stopped: L2 is paged in 10m unless someone answers with `/ack INC-1`.',
    );
  });

  it('after L2 was due (cleared by the re-check before it): L2 is paged now, L1 had its whole time', () => {
    const again = refired(t0 + 15 * 60_000, t0 + 20 * 60_000);
    expect(again.incident.next).toEqual({ level: 1, after: 20 * 60_000, repeat: 0 });
    expect(again.effects).toContainEqual({
      type: 'incident-timer',
      page: { level: 1, after: 20 * 60_000, repeat: 0 },
      at: t0 + 20 * 60_000,
      refired: t0 + 20 * 60_000,
    });
  });
});
