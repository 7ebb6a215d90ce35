/** Builds the dry-run plan of a runbook for a given start time. Pure. */
import { ladderPreview } from '../escalation/escalation-schedule.ts';
import { formatDuration } from '../runbook/duration.ts';
import { resolvePeople } from '../runbook/people.ts';
import type { Runbook, RunbookTrigger } from '../runbook/schema.ts';
import { formatClock } from '../runbook/time-of-day.ts';
import { planStepStarts } from '../schedule/step-times.ts';
import { type WindowSpan, windowState } from '../schedule/window.ts';
import { isoZoned } from '../schedule/zoned-time.ts';
import type { Plan, PlanCommand, PlanPerson, PlanTime } from './plan-types.ts';

export const DEFAULT_STEP_TIMEOUT_MS = 10 * 60_000;

export interface PlanOptions {
  readonly start: number;
  readonly environment?: string;
  readonly version?: string;
}

interface CommandSource {
  readonly run?: string | undefined;
  readonly argv?: readonly string[] | undefined;
  readonly expect?: object | undefined;
  readonly timeout?: number | undefined;
}

function command(source: CommandSource | string): PlanCommand {
  if (typeof source === 'string') return { run: source };
  return {
    ...(source.run !== undefined && { run: source.run }),
    ...(source.argv !== undefined && { argv: source.argv }),
    ...(source.expect !== undefined && { expect: { ...source.expect } }),
    ...(source.timeout !== undefined && { timeout: formatDuration(source.timeout) }),
  };
}

/** A contact's channel and phone, the ones the runbook gives. */
function contactOf(c: { readonly channel?: string | undefined; readonly phone?: string | undefined }): {
  channel?: string;
  phone?: string;
} {
  return {
    ...(c.channel !== undefined && { channel: c.channel }),
    ...(c.phone !== undefined && { phone: c.phone }),
  };
}

/** Describes what fires a rollback trigger, in words. */
export function describeTrigger(trigger: RunbookTrigger): string {
  if (trigger.health) {
    const span =
      trigger.failing_for !== undefined ? ` for ${formatDuration(trigger.failing_for)} or more` : '';
    return `health check ${trigger.health.join(', ')} failing${span}`;
  }
  if (trigger.prometheus) {
    const floor =
      trigger.min_baseline === undefined ? '' : ` (a baseline of at least ${trigger.min_baseline})`;
    return `${trigger.prometheus.query} worse than the pre-deploy baseline${floor} by more than ${Math.round((trigger.worse_than_baseline ?? 0) * 100)}%`;
  }
  if (trigger.alertmanager) {
    const labels = Object.entries(trigger.alertmanager.match)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    return `${trigger.min ?? 1} or more firing alerts with ${labels}`;
  }
  return 'declared by a person (/incident open)';
}

/** The default environment: the one marked default, or the only one. */
export function defaultEnvironment(runbook: Pick<Runbook, 'environments'>): string | undefined {
  const names = Object.keys(runbook.environments);
  return (
    names.find((n) => runbook.environments[n]?.default === true) ??
    (names.length === 1 ? names[0] : undefined)
  );
}

/**
 * Whether a step at `at` comes due after the deployment's window has closed, so that the deployment asks for a
 * decision before it: past the window it started in, and not inside a later opening (the next day's, or the one an
 * always-open window hands over to at midnight), where the deployment runs it as it would any step.
 */
function afterWindow(runbook: Runbook, span: WindowSpan, at: number): boolean {
  return at >= span.closes && !windowState(runbook, at).open;
}

/** The dry run: checklist, gates, timed steps, monitoring, rollback and who is paged when. */
export function buildPlan(runbook: Runbook, options: PlanOptions): Plan {
  const zone = runbook.timezone;
  const time = (instant: number): PlanTime => ({
    local: isoZoned(instant, zone),
    utc: new Date(instant).toISOString().replace('.000Z', 'Z'),
  });
  const people = (refs: readonly string[] | undefined): PlanPerson[] =>
    resolvePeople(runbook, refs).map((id) => {
      const p = runbook.people[id];
      return {
        id,
        name: p?.name ?? id,
        ...(p?.slack !== undefined && { slack: p.slack }),
        ...(p?.discord !== undefined && { discord: p.discord }),
        ...(p?.pagerduty !== undefined && { pagerduty: p.pagerduty }),
        ...(p?.placeholder === true && { placeholder: true }),
      };
    });
  const state = windowState(runbook, options.start);
  const span = state.open ? state.span : state.next;
  const starts = planStepStarts(runbook.steps, options.start, zone, runbook.window);
  // A deployment starts monitoring (and counts success criteria and escalation) once its last step has finished and
  // its health checks passed; how long that step runs is not known ahead, so the plan counts from its start.
  const finish = starts[starts.length - 1] ?? options.start;
  const gates = Object.entries(runbook.gates ?? {});
  const ladder = ladderPreview(runbook.escalation.levels, runbook.escalation.repeat_last_every);
  const environment =
    options.environment ?? defaultEnvironment(runbook) ?? Object.keys(runbook.environments)[0] ?? '';
  return {
    service: runbook.service,
    ...(runbook.title !== undefined && { title: runbook.title }),
    environment,
    ...(options.version !== undefined && { version: options.version }),
    timezone: zone,
    start: time(options.start),
    ...(runbook.window && {
      window: {
        start: formatClock(runbook.window.start),
        end: formatClock(runbook.window.end),
        ...(runbook.window.days && { days: runbook.window.days }),
        ...(runbook.window.dates && { dates: runbook.window.dates }),
        outside: runbook.window.outside ?? 'refuse',
        ...(runbook.window.override_gate !== undefined && { overrideGate: runbook.window.override_gate }),
        openAtStart: state.open,
        ...(span &&
          Number.isFinite(span.opens) && { span: { opens: time(span.opens), closes: time(span.closes) } }),
      },
    }),
    requiredEnv: runbook.requires?.env ?? [],
    checklist: (runbook.checklist ?? []).map((item) => {
      const automated = item.run !== undefined || item.argv !== undefined;
      return {
        id: item.id,
        title: item.title,
        ...(item.section !== undefined && { section: item.section }),
        kind: automated ? 'automated' : 'manual',
        ownerRefs: item.owner ?? [],
        owners: people(item.owner),
        ...(automated && { command: command(item) }),
      };
    }),
    gates: gates.map(([id, gate]) => ({
      id,
      title: gate.title ?? id,
      approvers: people(gate.approvers),
      required: gate.required ?? 1,
      ...(gate.expires !== undefined && { expires: formatDuration(gate.expires) }),
      allowSelf: gate.allow_self === true,
      neededBy: runbook.steps.filter((s) => s.needs?.includes(id)).map((s) => s.id),
    })),
    steps: runbook.steps.map((step, i) => ({
      id: step.id,
      ...(step.label !== undefined && { label: step.label }),
      title: step.title,
      at: time(starts[i] ?? options.start),
      ...(step.at !== undefined && { atText: step.at.text }),
      needs: step.needs ?? [],
      command: command(step),
      ...(step.verify !== undefined && { verify: command(step.verify) }),
      timeout: formatDuration(step.timeout ?? DEFAULT_STEP_TIMEOUT_MS),
      retries: step.retries ?? 0,
      idempotent: step.idempotent === true,
      onFailure: step.on_failure ?? 'ask',
      ...(span && afterWindow(runbook, span, starts[i] ?? options.start) && { afterWindow: true as const }),
    })),
    finish: time(finish),
    monitoring: (runbook.monitoring ?? []).map((w) => ({
      ...(w.id !== undefined && { id: w.id }),
      ...(w.title !== undefined && { title: w.title }),
      from: time(finish + w.from),
      to: time(finish + w.to),
      ...(w.every !== undefined && { every: formatDuration(w.every) }),
      checks: w.checks ?? [],
      tasks: (w.tasks ?? []).map((t) => {
        const refs = (typeof t === 'string' ? undefined : t.owner) ?? w.owner ?? [];
        return { title: typeof t === 'string' ? t : t.title, ownerRefs: refs, owners: people(refs) };
      }),
    })),
    success: (runbook.success ?? []).map((c) => ({
      id: c.id,
      title: c.title,
      at: time(finish + c.at),
      require: c.require ?? [],
      criteria: c.criteria ?? [],
    })),
    ...(runbook.rollback && {
      rollback: {
        triggers: (runbook.rollback.triggers ?? []).map((t) => ({
          id: t.id,
          ...(t.title !== undefined && { title: t.title }),
          condition: describeTrigger(t),
        })),
        approvers: people(runbook.rollback.approval?.approvers ?? runbook.permissions.rollback),
        required: runbook.rollback.approval?.required ?? 1,
        steps: runbook.rollback.steps.map((s) => ({
          id: s.id,
          ...(s.title !== undefined && { title: s.title }),
          command: command(s),
          ...(s.verify !== undefined && { verify: command(s.verify) }),
          retries: s.retries ?? 0,
          idempotent: s.idempotent === true,
          ...(s.optional === true && { optional: true as const }),
          ...(s.confirm === true && { confirm: true as const }),
        })),
      },
    }),
    escalation: {
      incidentAt: time(finish),
      levels: ladder.map((page) => {
        const level = runbook.escalation.levels[page.level];
        return {
          id: level?.id ?? '',
          ...(level?.title !== undefined && { title: level.title }),
          at: time(finish + page.after),
          after: `+${formatDuration(page.after)}`,
          notify: people(level?.notify),
          via: level?.via ?? ['mention'],
          respondWithin: formatDuration(level?.respond_within ?? 0),
        };
      }),
      ...(runbook.escalation.repeat_last_every !== undefined && {
        repeatLastEvery: formatDuration(runbook.escalation.repeat_last_every),
      }),
    },
    contacts: (runbook.contacts ?? []).map((c) => ({
      team: c.team,
      ...(c.email !== undefined && { email: c.email }),
      ...contactOf(c),
    })),
    emergency: {
      ...(runbook.emergency?.stop && { stop: command(runbook.emergency.stop) }),
      ...(runbook.emergency?.logs && { logs: command(runbook.emergency.logs) }),
      ...(runbook.emergency?.contact && { contact: contactOf(runbook.emergency.contact) }),
    },
  };
}
