/** A deployment as it happened: checklist, gates and who approved, steps planned against actual, health, the
 * incident with its pages and answers, and the rollback. */

import { plainLiterals } from '../chat/outside-text.ts';
import type { Deployment, StepRun } from '../deployment/deployment.ts';
import { gateDefinition, stepDefinition } from '../deployment/runbook-lookup.ts';
import type { Incident } from '../incident/incident.ts';
import { formatElapsed } from '../runbook/duration.ts';
import type { Runbook } from '../runbook/schema.ts';
import { formatZoned } from '../schedule/zoned-time.ts';
import {
  type MarkTone,
  markSpan,
  nonEmptyLanes,
  type Timeline,
  type TimelineLane,
  type TimelineMark,
  type TimelineRow,
} from './timeline.ts';

export interface DeploymentTimelineInput {
  readonly deployment: Deployment;
  readonly runbook: Runbook;
  readonly incident?: Incident;
  readonly now: number;
}

const STEP_TONE: Readonly<Record<StepRun['status'], MarkTone>> = {
  pending: 'planned',
  waiting: 'waiting',
  running: 'waiting',
  succeeded: 'done',
  failed: 'failed',
  timed_out: 'failed',
  canceled: 'warning',
  skipped: 'warning',
  interrupted: 'warning',
};

function who(runbook: Runbook, id: string): string {
  return runbook.people[id]?.name ?? id;
}

function stepMarks(step: StepRun, plannedEnd: number | undefined, end: number): TimelineMark[] {
  const marks: TimelineMark[] = [];
  if (step.notBefore !== undefined)
    marks.push({
      kind: 'bar',
      from: step.notBefore,
      to: Math.max(plannedEnd ?? step.notBefore + 1000, step.notBefore + 500),
      tone: 'planned',
    });
  if (step.startedAt !== undefined) {
    const symbol = step.status === 'succeeded' ? '✓' : STEP_TONE[step.status] === 'failed' ? '✗' : '';
    const late = (step.lateMs ?? 0) >= 1000 ? `, ${formatElapsed(step.lateMs ?? 0)} late` : '';
    const took = step.durationMs !== undefined ? ` ${formatElapsed(step.durationMs)}` : '';
    marks.push({
      kind: 'bar',
      from: step.startedAt,
      to: step.finishedAt ?? end,
      tone: STEP_TONE[step.status],
      label: `${symbol ? `${symbol} ` : ''}${step.status.replace('_', ' ')}${took}${late}${step.attempt > 1 ? `, attempt ${step.attempt}` : ''}`,
    });
  }
  return marks;
}

function gateRows(input: DeploymentTimelineInput, end: number): TimelineRow[] {
  const { deployment: d, runbook } = input;
  return d.gates.map((gate) => {
    const from = gate.requestedAt ?? d.requestedAt;
    const to = gate.closedAt ?? end;
    const approvers = gate.approvals.map((a) => who(runbook, a.by)).join(', ');
    const words =
      gate.status === 'approved'
        ? `✓ approved by ${approvers}`
        : gate.status === 'rejected'
          ? `✗ rejected by ${who(runbook, gate.rejection?.by ?? '?')}`
          : gate.status === 'expired'
            ? 'expired'
            : `waiting${approvers ? ` (${approvers})` : ''}`;
    const tone: MarkTone = { approved: 'done', rejected: 'failed', expired: 'warning', pending: 'waiting' }[
      gate.status
    ] as MarkTone;
    return {
      label: gateDefinition(runbook, gate.id)?.title ?? gate.id,
      marks: [{ kind: 'bar', from, to, tone, label: `${words} · waited ${formatElapsed(to - from)}` }],
    };
  });
}

function checklistRows(input: DeploymentTimelineInput): TimelineRow[] {
  const { deployment: d, runbook } = input;
  const titled = (id: string) => runbook.checklist?.find((c) => c.id === id)?.title ?? id;
  return d.checklist
    .filter((item) => item.at !== undefined)
    .map((item) => ({
      label: titled(item.id),
      marks: [
        {
          kind: 'point',
          at: item.at ?? d.requestedAt,
          tone: item.status === 'passed' ? 'done' : item.status === 'failed' ? 'failed' : 'waiting',
          label: `${item.status === 'passed' ? '✓' : item.status === 'failed' ? '✗' : '…'} ${item.by ? `by ${who(runbook, item.by)}` : 'automated'}`,
        },
      ],
    }));
}

function incidentRows(input: DeploymentTimelineInput, end: number): TimelineRow[] {
  const { incident, runbook } = input;
  if (!incident) return [];
  const closed = incident.resolution?.at ?? end;
  const rows: TimelineRow[] = [
    {
      label: `${incident.id} ${incident.title}`,
      marks: [
        {
          kind: 'bar',
          from: incident.openedAt,
          to: closed,
          tone: incident.state === 'resolved' ? 'info' : 'failed',
          label:
            incident.state === 'resolved'
              ? `resolved by ${who(runbook, incident.resolution?.by ?? '?')}`
              : incident.state,
        },
      ],
    },
    ...incident.pages.map((page) => ({
      label: `Page ${page.levelId}${page.repeat > 0 ? ` (repeat ${page.repeat})` : ''}`,
      marks: [
        {
          kind: 'point' as const,
          at: page.at,
          tone: 'warning' as const,
          label: `paged ${page.people.map((p) => who(runbook, p)).join(', ')}`,
        },
      ],
    })),
  ];
  if (incident.ack)
    rows.push({
      label: 'Acknowledged',
      marks: [
        {
          kind: 'point',
          at: incident.ack.at,
          tone: 'done',
          label: `✓ ${who(runbook, incident.ack.by)} answered after ${formatElapsed(incident.ack.at - incident.openedAt)}`,
        },
      ],
    });
  return rows;
}

function rollbackRows(input: DeploymentTimelineInput, end: number): TimelineRow[] {
  const { deployment: d, runbook } = input;
  const rollback = d.rollback;
  if (!rollback) return [];
  const approvals = rollback.approvals.map((a) => who(runbook, a.by)).join(', ');
  return [
    {
      label: 'Requested',
      marks: [
        {
          kind: 'point',
          at: rollback.at,
          tone: 'warning',
          label: `by ${who(runbook, rollback.by)}${approvals ? `, approved by ${approvals}` : ''}`,
        },
      ],
    },
    ...rollback.steps.map((step, i) => ({
      label: `${i + 1}. ${stepDefinition(runbook, 'rollback', step.id)?.title ?? step.id}`,
      marks: stepMarks(step, undefined, end).filter((m) => m.tone !== 'planned'),
    })),
  ];
}

/** The timeline of a deployment (and its incident), as it stands at `now`. */
export function timelineFromDeployment(input: DeploymentTimelineInput): Timeline {
  const { deployment: d, runbook, incident, now } = input;
  const end = Math.max(d.finishedAt ?? now, incident?.resolution?.at ?? 0, incident?.ack?.at ?? 0);
  const health: TimelineRow[] = [];
  if (d.verification)
    health.push({
      label: 'Post-deploy verification',
      marks: [
        {
          kind: 'point',
          at: d.verification.at,
          tone: d.verification.passed ? 'done' : 'failed',
          label: `${d.verification.passed ? '✓ passed' : '✗ failed'}: ${d.verification.detail}`,
        },
      ],
    });
  if (incident)
    health.push({
      label: 'Health turned',
      marks: [
        {
          kind: 'point',
          at: incident.openedAt,
          tone: 'failed',
          label: `✗ ${incident.trigger}${incident.health ? `: ${incident.health}` : ''}`,
        },
      ],
    });
  const lanes: TimelineLane[] = [
    { id: 'checklist', title: 'Checklist', rows: checklistRows(input) },
    { id: 'gates', title: 'Approval gates', rows: gateRows(input, end) },
    {
      id: 'steps',
      title: 'Steps: planned (dashed) and actual',
      rows: d.steps.map((step, i) => ({
        label: `${runbook.steps[i]?.label ?? i + 1}. ${runbook.steps[i]?.title ?? step.id}`,
        marks: stepMarks(step, d.steps[i + 1]?.notBefore, end),
      })),
    },
    { id: 'health', title: 'Health', rows: health },
    { id: 'incident', title: 'Incident and pages', rows: incidentRows(input, end) },
    { id: 'rollback', title: 'Rollback', rows: rollbackRows(input, end) },
  ];
  const shown = nonEmptyLanes(lanes);
  const span = markSpan(shown) ?? { from: d.requestedAt, to: end };
  const from = Math.min(span.from, d.requestedAt);
  const to = Math.max(span.to, end);
  const pad = Math.max((to - from) * 0.02, 500);
  return {
    title: `${runbook.title ?? d.service} ${d.version} → ${d.environment} (${d.id})`,
    subtitle: `Requested by ${who(runbook, d.requestedBy)} at ${formatZoned(d.requestedAt, runbook.timezone, 'yyyy-MM-dd HH:mm:ss xxx')} · ${d.state.replace('_', ' ')}${d.outcome ? `: ${plainLiterals(d.outcome)}` : ''}`,
    timezone: runbook.timezone,
    from: from - pad,
    to: to + pad,
    focusTo: to + pad,
    lanes: shown,
  };
}
