/** What PagerDuty made of an incident's pages: each refusal audited, a reason said in its thread once. */
import type { AuditEntry } from '../deployment/effects.ts';
import type { Incident, IncidentEvent } from './incident.ts';
import type { Followup } from './incident-followups.ts';

/**
 * PagerDuty refused a page. Every refusal is audited; the thread hears of it when its reason is new: at L2 and L3
 * the same invalid routing key would only repeat the note of L1, whose advice still holds.
 */
export function noteRefusal(
  incident: Incident,
  event: Extract<IncidentEvent, { type: 'incident.pager-refused' }>,
): Followup {
  const said = incident.pagerRefused === event.reason;
  const audit: AuditEntry[] = [
    {
      type: 'incident.page_refused',
      actor: 'preflight',
      detail: { level: event.level, repeat: event.repeat, reason: event.reason, said: !said },
    },
  ];
  if (said) return { incident, audit, effects: [] };
  return {
    incident: { ...incident, pagerRefused: event.reason },
    audit,
    effects: [
      {
        type: 'incident-post',
        topic: { kind: 'note', key: `pager-refused:${event.level}:${event.repeat}`, text: event.note },
      },
    ],
  };
}

/** PagerDuty took a page: the next refusal is news again. */
export function noteTaken(incident: Incident): Followup | undefined {
  if (incident.pagerRefused === undefined) return undefined;
  const rest: Incident = { ...incident };
  delete (rest as { pagerRefused?: string }).pagerRefused;
  return { incident: rest, audit: [], effects: [] };
}
