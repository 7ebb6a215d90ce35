import { describe, expect, it } from 'vitest';
import {
  type Incident,
  incidentPromptOpen,
  incidentTopicOfKey,
  openIncident,
  transitionIncident,
} from '../../../src/core/index.ts';
import { testRunbook } from '../../helpers/deployment-fixture.ts';

const runbook = testRunbook();
const t0 = Date.parse('2026-01-07T08:00:00Z');

function opened(): Incident {
  const result = openIncident(
    { runbook, now: t0 },
    {
      id: 'INC-1',
      service: 'shop',
      environment: 'production',
      runbookDigest: 'd',
      origin: 'console',
      title: 'health failing',
      trigger: 'manual',
      openedBy: 'ann',
      openedAt: t0,
    },
  );
  if (!result.ok) throw result.error;
  return result.incident;
}

function moved(incident: Incident, at: number, event: Parameters<typeof transitionIncident>[2]): Incident {
  const result = transitionIncident({ runbook, now: at }, incident, event);
  if (!result.ok) throw result.error;
  return result.incident;
}

const l1 = { kind: 'page', level: 0, repeat: 0 } as const;
const l2 = { kind: 'page', level: 1, repeat: 0 } as const;

describe('a page deleted in an incident thread asks for an answer', () => {
  it('while it is the latest page and nobody has answered, not once the ladder moved on or someone acked', () => {
    const incident = opened();
    expect(incidentPromptOpen(incident, l1)).toBe(true);
    expect(incidentPromptOpen(incident, { kind: 'incident' })).toBe(false);
    expect(incidentPromptOpen(incident, { kind: 'note', key: 'x', text: 'x' })).toBe(false);

    const paged = moved(incident, t0 + 15 * 60_000, {
      type: 'incident.page',
      page: { level: 1, after: 15 * 60_000, repeat: 0 },
    });
    expect(incidentPromptOpen(paged, l1)).toBe(false);
    expect(incidentPromptOpen(paged, l2)).toBe(true);

    expect(incidentPromptOpen(moved(paged, t0 + 16 * 60_000, { type: 'incident.ack', by: 'ann' }), l2)).toBe(
      false,
    );
    expect(
      incidentPromptOpen(moved(paged, t0 + 16 * 60_000, { type: 'incident.clear', detail: 'healthy' }), l2),
    ).toBe(false);
  });

  it('is named by its key', () => {
    expect(incidentTopicOfKey('page:1:2')).toEqual({ kind: 'page', level: 1, repeat: 2 });
    expect(incidentTopicOfKey('incident')).toEqual({ kind: 'incident' });
    for (const key of ['page:1', 'page:1:2:again:9', 'page:x:0', 'dm:ann:0:0', 'note:remind:go:1'])
      expect(incidentTopicOfKey(key)).toBeUndefined();
  });
});
