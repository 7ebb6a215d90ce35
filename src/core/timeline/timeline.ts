/**
 * A timeline picture's content, independent of how it is drawn: lanes of labelled rows, each holding bars and
 * points on one time axis. Built from a plan (the dry run) or from a deployment and its incident.
 */

/** What a mark means; drawn with a colour and a pattern and said in words, never by colour alone. */
export type MarkTone = 'planned' | 'done' | 'failed' | 'waiting' | 'warning' | 'info';

export interface TimelineBar {
  readonly kind: 'bar';
  readonly from: number;
  readonly to: number;
  readonly tone: MarkTone;
  readonly label?: string;
}

export interface TimelinePoint {
  readonly kind: 'point';
  readonly at: number;
  readonly tone: MarkTone;
  readonly label: string;
}

export type TimelineMark = TimelineBar | TimelinePoint;

export interface TimelineRow {
  readonly label: string;
  readonly marks: readonly TimelineMark[];
}

export const LANE_IDS = [
  'window',
  'checklist',
  'gates',
  'steps',
  'health',
  'monitoring',
  'incident',
  'rollback',
  'escalation',
] as const;
export type LaneId = (typeof LANE_IDS)[number];

export interface TimelineLane {
  readonly id: LaneId;
  readonly title: string;
  readonly rows: readonly TimelineRow[];
}

export interface Timeline {
  readonly title: string;
  readonly subtitle: string;
  /** The runbook's IANA zone: the axis is labelled in it, with UTC beside. */
  readonly timezone: string;
  readonly from: number;
  readonly to: number;
  /** Where the evenly spaced part of the axis ends; later marks share a compressed tail. */
  readonly focusTo: number;
  readonly lanes: readonly TimelineLane[];
}

/** Keeps lanes that have something to show. */
export function nonEmptyLanes(lanes: readonly TimelineLane[]): TimelineLane[] {
  return lanes.filter((lane) => lane.rows.some((row) => row.marks.length > 0));
}

/** The earliest and latest instants any mark touches. */
export function markSpan(lanes: readonly TimelineLane[]): { from: number; to: number } | undefined {
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  for (const lane of lanes)
    for (const row of lane.rows)
      for (const mark of row.marks) {
        const start = mark.kind === 'bar' ? mark.from : mark.at;
        const end = mark.kind === 'bar' ? mark.to : mark.at;
        from = Math.min(from, start);
        to = Math.max(to, end);
      }
  return Number.isFinite(from) ? { from, to } : undefined;
}
