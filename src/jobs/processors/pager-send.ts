/**
 * `pager.send`: one PagerDuty event for one page of an incident, as a job of its own. A try that fails is tried
 * again by BullMQ's backoff (or after PagerDuty's Retry-After); the incident thread is told when PagerDuty first
 * fails to take a page, when it refuses one, and when Preflight gives up, so nobody takes "paged" on trust.
 */
import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import {
  applyIncidentEvent,
  type EngineDeps,
  type Incident,
  literal,
  type PagerEvent,
  type PagerOutcome,
  pagingStopped,
  resolvePeople,
} from '../../core/index.ts';
import type { CheckJob } from '../job-types.ts';
import { describeRefusal } from './pager-refusal.ts';
import type { ProcessorDeps } from './processor-deps.ts';

type PagerJob = Extract<CheckJob, { kind: 'pager' }>;

/**
 * A PagerDuty event for one page of an incident. Each level, and each repeat of the last level, has its own
 * dedup_key: PagerDuty merges a trigger with the key of an open alert into that alert without notifying anyone,
 * so a repeat under the same key would end silently.
 */
async function pagerEvent(engine: EngineDeps, data: PagerJob): Promise<PagerEvent | undefined> {
  const incident = await engine.incidents.get(data.incidentId);
  if (!incident) return undefined;
  const runbook = await engine.runbooks.pinned(incident.runbookDigest);
  const level = runbook.escalation.levels[data.level];
  const levelId = level?.id ?? `L${data.level + 1}`;
  const notify = level?.notify ?? [];
  const { repeat } = data;
  const lateMs = incident.pages.find((p) => p.level === data.level && p.repeat === repeat)?.lateMs;
  return {
    action: data.action,
    dedupKey: `preflight/${incident.id}/${levelId}${repeat > 0 ? `/repeat-${repeat}` : ''}`,
    // Cut to PagerDuty's limits by the pager, which knows them.
    summary: `[${levelId}${repeat > 0 ? ` again ${repeat}` : ''}] ${incident.service} ${incident.environment}: ${incident.title}`,
    source: `preflight/${incident.service}`,
    severity: 'critical',
    component: incident.service,
    group: incident.environment,
    details: {
      incident: incident.id,
      escalation_level: levelId,
      repeat,
      notify,
      // A level names groups as often as people: PagerDuty gets the people they stand for.
      pagerduty_users: resolvePeople(runbook, notify)
        .map((p) => runbook.people[p]?.pagerduty)
        .filter(Boolean),
      deployment: incident.deploymentId ?? null,
      trigger: incident.trigger,
      ...(lateMs !== undefined && { late_minutes: Math.round(lateMs / 60_000) }),
    },
  };
}

/** Sends the job's event; throws (or delays the job) to have it tried again. */
export async function sendPagerEvent(
  deps: ProcessorDeps,
  job: Job<CheckJob>,
  data: PagerJob,
  token: string | undefined,
): Promise<void> {
  if (!deps.pager) return;
  const incident = await deps.engine.incidents.get(data.incidentId);
  if (!incident) return;
  const event = await pagerEvent(deps.engine, data);
  if (!event) return;
  // A trigger still retrying when paging stopped (someone answered, its cause cleared): an alert opened now would
  // stay open, the acknowledge or resolve sent meanwhile having reached PagerDuty first. One PagerDuty took, or may
  // yet take (a try given up on, or cut off by a killed process), is acknowledged or resolved again.
  if (data.action === 'trigger' && pagingStopped(incident)) {
    if (data.taken || unsureSince(data) !== undefined)
      await stopAtPagerDuty(deps, job, data, incident, event, token);
    return;
  }
  // Tries so far, this one included: a wait for Retry-After starts the job again without counting an attempt, and a
  // try cut off by a killed process counts too (it was started).
  const tries = Math.max(job.attemptsMade + 1, job.attemptsStarted);
  const trying = data.action === 'trigger' ? startTry(data) : data;
  if (trying !== data) await job.updateData(trying);
  const outcome = await deps.pager.send(event);
  const tried = trying === data ? data : settleTry(trying, outcome);
  if (tried !== data) await job.updateData(tried);
  if (outcome.ok) {
    if (data.action !== 'trigger') return;
    if (incident.pagerRefused !== undefined)
      await applyIncidentEvent(deps.engine, data.incidentId, { type: 'incident.pager-taken' });
    if (data.told) await note(deps, data, 'sent', `✅ PagerDuty took the ${label(event)} page after all.`);
    const now = await deps.engine.incidents.get(data.incidentId);
    if (now && pagingStopped(now)) await stopAtPagerDuty(deps, job, tried, now, event, token);
    return;
  }
  // A refusal is final, and the pager has logged it: trying again would only delay saying so. The core says it in
  // the thread once per reason.
  if (outcome.failure === 'refused') {
    if (data.action === 'trigger')
      await applyIncidentEvent(deps.engine, data.incidentId, {
        type: 'incident.pager-refused',
        level: data.level,
        repeat: data.repeat,
        reason: outcome.reason,
        note: await describeRefusal(deps.engine, incident, label(event), outcome),
      });
    return;
  }
  deps.log.warn(
    { incident: data.incidentId, dedupKey: event.dedupKey, reason: outcome.reason },
    'PagerDuty did not take the event',
  );
  if (data.action !== 'trigger')
    throw new Error(`PagerDuty did not take ${data.action} for ${event.dedupKey}: ${outcome.reason}`);
  const last = tries >= (job.opts.attempts ?? 1);
  if (last) {
    await note(
      deps,
      data,
      'gave-up',
      `🚨 PagerDuty did not take the ${label(event)} page in ${tries} tries (last: ${literal(outcome.reason)}): Preflight has stopped trying. Reach them another way.`,
    );
    throw new UnrecoverableError(`PagerDuty did not take the page ${event.dedupKey}: ${outcome.reason}`);
  }
  // Said at the first failure PagerDuty answered, not the first try: a try cut off by a killed process told nobody.
  // Said before it is marked, so a kill between the two says it again, which the thread takes once (its key).
  if (!data.told) {
    await note(
      deps,
      data,
      'failing',
      `⚠️ PagerDuty did not take the ${label(event)} page (${literal(outcome.reason)}); Preflight keeps trying. The people paged were mentioned here meanwhile.`,
    );
    await job.updateData({ ...tried, told: true });
  }
  if (outcome.retryAfterMs !== undefined) {
    await job.moveToDelayed(Date.now() + outcome.retryAfterMs, token);
    throw new DelayedError();
  }
  throw new Error(`PagerDuty did not take the page ${event.dedupKey}: ${outcome.reason}`);
}

/** When the latest try of the trigger began that PagerDuty may yet take (no answer came to it); none: undefined. */
function unsureSince(data: PagerJob): number | undefined {
  const times = [data.tryingAt, data.unsureAt].filter((t) => t !== undefined);
  return times.length > 0 ? Math.max(...times) : undefined;
}

/** The job's data as a try of its trigger begins: one before it that never ended (a kill) stays unsure. */
function startTry(data: PagerJob): PagerJob {
  const unsure = unsureSince(data);
  return { ...data, ...(unsure !== undefined && { unsureAt: unsure }), tryingAt: Date.now() };
}

/** The job's data after a try of its trigger: a try answered is settled (taken or not), one without stays unsure. */
function settleTry(data: PagerJob, outcome: PagerOutcome): PagerJob {
  const { tryingAt, ...rest } = data;
  if (outcome.ok) return { ...rest, taken: true };
  return outcome.status !== undefined || tryingAt === undefined ? rest : { ...rest, unsureAt: tryingAt };
}

/**
 * Sends the acknowledge (or resolve) of a page PagerDuty took, or may take, while paging stopped; throws for the job
 * to try again (its trigger is not sent again: paging stopped). When a try of the trigger got no answer, PagerDuty
 * may take it after this acknowledge: the job waits until it can no longer (Pager.lateMs) and sends it once more.
 */
async function stopAtPagerDuty(
  deps: ProcessorDeps,
  job: Job<CheckJob>,
  data: PagerJob,
  incident: Incident,
  event: PagerEvent,
  token: string | undefined,
): Promise<void> {
  const action = incident.state === 'acknowledged' ? 'acknowledge' : 'resolve';
  const outcome = await deps.pager?.send({ ...event, action });
  if (outcome && !outcome.ok && outcome.failure !== 'refused')
    throw new Error(`PagerDuty did not take ${action} for ${event.dedupKey}: ${outcome.reason}`);
  const since = unsureSince(data);
  const lateUntil = since === undefined ? 0 : since + (deps.pager?.lateMs ?? 0);
  if (Date.now() >= lateUntil) return;
  await job.moveToDelayed(lateUntil, token);
  throw new DelayedError();
}

const label = (event: PagerEvent) => event.dedupKey.split('/').slice(2).join(' ');

function note(deps: ProcessorDeps, data: PagerJob, what: string, text: string): Promise<void> {
  return deps.notifier.deliverIncident(data.incidentId, {
    type: 'post',
    topic: { kind: 'note', key: `pager-${what}:${data.level}:${data.repeat}`, text },
  });
}
