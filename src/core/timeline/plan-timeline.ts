/** The dry run as a timeline: the window, checklist and gates before the first step, the steps at their times,
 * the monitoring periods and success checks after them, and the escalation ladder for an incident. */

import { countOf } from '../count-words.ts';
import type { Plan, PlanPerson, PlanTime } from '../plan/plan-types.ts';
import { parseDuration } from '../runbook/duration.ts';
import { markSpan, nonEmptyLanes, type Timeline, type TimelineLane, type TimelineRow } from './timeline.ts';

const MINUTE = 60_000;

function ms(time: PlanTime): number {
  return Date.parse(time.utc);
}

function names(people: readonly PlanPerson[], max = 3): string {
  const shown = people.slice(0, max).map((p) => p.name);
  return people.length > max ? `${shown.join(', ')} +${people.length - max}` : shown.join(', ');
}

function durationMs(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const parsed = parseDuration(text);
  return typeof parsed === 'number' ? parsed : fallback;
}

function stepRows(plan: Plan): TimelineRow[] {
  return plan.steps.map((step, i) => {
    const from = ms(step.at);
    const next = plan.steps[i + 1];
    const to = next
      ? Math.max(ms(next.at), from + 1000)
      : from + Math.min(durationMs(step.timeout, 15 * MINUTE), 15 * MINUTE);
    const gates = step.needs.length > 0 ? ` · needs ${step.needs.join(', ')}` : '';
    return {
      label: `${step.label ?? i + 1}. ${step.title}`,
      marks: [
        {
          kind: 'bar',
          from,
          to,
          tone: 'planned',
          label: `${step.atText ?? step.at.local.slice(11, 19)}${gates}`,
        },
      ],
    };
  });
}

function gateRows(plan: Plan, firstStep: number): TimelineRow[] {
  return plan.gates.map((gate) => {
    const needing = plan.steps.find((s) => s.needs.includes(gate.id));
    const at = needing ? ms(needing.at) : firstStep;
    const expiry = gate.expires ? `, expires after ${gate.expires}` : '';
    return {
      label: gate.title,
      marks: [
        {
          kind: 'point',
          at,
          tone: 'waiting',
          label: `${gate.required} of ${gate.approvers.length}: ${names(gate.approvers)}${expiry} · before ${needing ? `step ${needing.label ?? needing.id}` : 'the first step'}`,
        },
      ],
    };
  });
}

/** The timeline of a plan (`preflight plan --format svg|png`). */
export function timelineFromPlan(plan: Plan): Timeline {
  const firstStep = plan.steps[0] ? ms(plan.steps[0].at) : ms(plan.start);
  const manual = plan.checklist.filter((c) => c.kind === 'manual').length;
  const lanes: TimelineLane[] = [
    {
      id: 'window',
      title: 'Deployment window',
      rows: plan.window?.span
        ? [
            {
              label: `${plan.window.start}–${plan.window.end} ${plan.timezone}`,
              marks: [
                {
                  kind: 'bar',
                  from: ms(plan.window.span.opens),
                  to: ms(plan.window.span.closes),
                  tone: 'info',
                  label: `open ${plan.window.start}–${plan.window.end}${plan.window.outside === 'refuse' ? ' (outside: refused)' : ' (outside: override gate)'}`,
                },
              ],
            },
          ]
        : [],
    },
    {
      id: 'checklist',
      title: 'Pre-deployment checklist',
      rows: [
        {
          label: countOf(plan.checklist.length, 'item'),
          marks: [
            {
              kind: 'point',
              at: ms(plan.start),
              tone: 'waiting',
              label: `${manual} ticked by their owners, ${plan.checklist.length - manual} automated checks`,
            },
          ],
        },
      ],
    },
    { id: 'gates', title: 'Approval gates', rows: gateRows(plan, firstStep) },
    { id: 'steps', title: 'Steps (planned)', rows: stepRows(plan) },
    {
      id: 'monitoring',
      title: 'Monitoring and success criteria',
      rows: [
        ...plan.monitoring.map((m, i) => ({
          label: m.title ?? m.id ?? `Period ${i + 1}`,
          marks: [
            {
              kind: 'bar' as const,
              from: ms(m.from),
              to: ms(m.to),
              tone: 'info' as const,
              label: `${m.every ? `every ${m.every}: ` : ''}${m.checks.join(', ')}${m.tasks.length > 0 ? ` · ${countOf(m.tasks.length, 'task')}` : ''}`,
            },
          ],
        })),
        ...plan.success.map((s) => ({
          label: s.title,
          marks: [
            {
              kind: 'point' as const,
              at: ms(s.at),
              tone: 'planned' as const,
              label: `check ${s.require.join(', ')}`,
            },
          ],
        })),
      ],
    },
    {
      id: 'escalation',
      title: `Escalation (incident at ${plan.escalation.incidentAt.local.slice(11, 19)})`,
      rows: plan.escalation.levels.map((level) => ({
        label: `${level.id}${level.title ? ` ${level.title}` : ''} (${level.after})`,
        marks: [
          {
            kind: 'point',
            at: ms(level.at),
            tone: 'warning',
            label: `page ${names(level.notify)} via ${level.via.join(', ')}; answer within ${level.respondWithin}`,
          },
        ],
      })),
    },
  ];
  const shown = nonEmptyLanes(lanes);
  const span = markSpan(shown) ?? { from: ms(plan.start), to: ms(plan.finish) };
  // The evenly spaced part holds the steps and the escalation ladder; a long window or a week of monitoring
  // goes into the compressed tail rather than squeezing the steps into a corner.
  const from = Math.min(ms(plan.start), firstStep);
  const focusEnd = Math.max(ms(plan.finish), ...plan.escalation.levels.map((l) => ms(l.at)));
  const pad = Math.max((focusEnd - from) * 0.02, 1000);
  return {
    title: `Plan: ${plan.title ?? plan.service} → ${plan.environment}${plan.version ? ` ${plan.version}` : ''}`,
    subtitle: `Start ${plan.start.local} (${plan.start.utc}) · ${countOf(plan.steps.length, 'step')}, ${countOf(plan.gates.length, 'gate')}, ${countOf(plan.checklist.length, 'checklist item')}`,
    timezone: plan.timezone,
    from: from - pad,
    to: Math.max(span.to, focusEnd) + pad,
    focusTo: focusEnd + pad,
    lanes: shown,
  };
}
