/**
 * What an incident's thread is told when PagerDuty refuses a page: that it is not tried again (it would be refused
 * again), what to do now, what to fix, and what the escalation does next, so a refusal never reads as a page sent.
 */
import {
  type EngineDeps,
  formatElapsed,
  type Incident,
  literal,
  type PagerOutcome,
} from '../../core/index.ts';

/** What to fix, by PagerDuty's answer. */
function whatToFix(status: number | undefined): string {
  switch (status) {
    case 400:
      return 'PagerDuty found the event invalid, most often because PAGERDUTY_ROUTING_KEY is not the Integration Key of an Events API v2 integration (PagerDuty → the service → Integrations): fix it and restart Preflight.';
    case 401:
    case 403:
    case 404:
      return 'Check PAGERDUTY_ROUTING_KEY (the Integration Key of an Events API v2 integration) and PAGERDUTY_EVENTS_URL (PagerDuty’s own is https://events.pagerduty.com/v2/enqueue), then restart Preflight.';
    case 413:
      return 'PagerDuty found the page too large, though Preflight cuts its pages to PagerDuty’s limits: report it to Preflight’s maintainers with the log line "PagerDuty refused the event".';
    default:
      return 'The log line "PagerDuty refused the event" has PagerDuty’s answer; check PAGERDUTY_ROUTING_KEY and PAGERDUTY_EVENTS_URL.';
  }
}

/** The page the ladder sends next, when, and how; or that none follows. */
async function whatComesNext(engine: EngineDeps, incident: Incident): Promise<string> {
  const { next } = incident;
  const runbook = await engine.runbooks.pinned(incident.runbookDigest);
  const level = next && runbook.escalation.levels[next.level];
  if (!next || !level) return 'No level is paged after this one: reach the people above another way now.';
  const inMs = incident.openedAt + next.after - engine.clock.now();
  const through = level.via?.includes('pagerduty')
    ? ' (in chat, and through PagerDuty, which may refuse it too)'
    : '';
  return `The escalation goes on: unless someone answers with \`/ack ${incident.id}\`, ${level.id} is paged${next.repeat > 0 ? ' again' : ''} ${inMs > 0 ? `in ${formatElapsed(inMs)}` : 'now'}${through}.`;
}

/** The note for a page (`page`: its level, as `L1` or `L2 repeat-1`) PagerDuty refused. */
export async function describeRefusal(
  engine: EngineDeps,
  incident: Incident,
  page: string,
  outcome: Extract<PagerOutcome, { ok: false }>,
): Promise<string> {
  return [
    `⚠️ PagerDuty refused the ${page} page (${literal(outcome.reason)}) and would refuse it again, so Preflight does not retry it: nobody was paged through PagerDuty for it. The people paged are mentioned above: reach them another way (call, DM).`,
    whatToFix(outcome.status),
    await whatComesNext(engine, incident),
    `Later pages of ${incident.id} PagerDuty refuses for the same reason are not said here again (the log and the audit have each).`,
  ].join(' ');
}
