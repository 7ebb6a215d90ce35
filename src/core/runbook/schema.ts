/** The runbook schema: every concept of design.md §4–5, validated with zod. */
import * as z from 'zod';
import { ChecklistItem, Emergency, Gate, Step } from './schema-commands.ts';
import { Escalation, HealthCheck, MonitoringWindow, Rollback, SuccessCriterion } from './schema-health.ts';
import { Clock, EnvName, EnvValues, Id, Refs } from './schema-scalars.ts';

export const Weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);

export const Window = z.strictObject({
  start: Clock,
  end: Clock,
  days: z
    .array(Weekday)
    .min(1)
    .optional()
    .meta({ description: 'Weekdays the window is open (default every day).' }),
  dates: z
    .array(
      z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/, 'dates are written YYYY-MM-DD')
        .superRefine((text, ctx) => {
          const problem = describeImpossibleDate(text);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        }),
    )
    .min(1)
    .optional()
    .meta({ description: 'Only these calendar dates (YYYY-MM-DD) in the runbook time zone.' }),
  outside: z
    .enum(['refuse', 'override'])
    .optional()
    .meta({ description: 'Outside the window: refuse (default), or allow with the override gate.' }),
  override_gate: Id.optional(),
});

export const Person = z.strictObject({
  name: z.string().min(1),
  slack: z
    .string()
    .regex(/\S/, 'write their Slack user id (e.g. U01ABCDEF), or leave slack out for someone without one')
    .optional()
    .meta({ description: 'Slack user id, e.g. U01ABCDEF.' }),
  discord: z
    .string()
    .regex(/^\d{5,20}$/, 'a Discord user id is a number (a snowflake)')
    .optional(),
  pagerduty: z
    .string()
    .regex(
      /\S/,
      'write their PagerDuty user id (e.g. PABC123), or leave pagerduty out for someone without one',
    )
    .optional()
    .meta({ description: 'PagerDuty user id (shown in pages).' }),
  email: z.email().optional(),
  phone: z.string().optional(),
  placeholder: z
    .boolean()
    .optional()
    .meta({ description: 'Marks ids that must be replaced before real use.' }),
});

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** `2026-02-30 does not exist: February 2026 has 28 days`; undefined for a real date (or a malformed one). */
function describeImpossibleDate(text: string): string | undefined {
  const [year = 0, month = 0, day = 0] = text.split('-').map(Number);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  if (month < 1 || month > 12) return `${text} does not exist: there is no month ${month}`;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day >= 1 && day <= days
    ? undefined
    : `${text} does not exist: ${MONTHS[month - 1]} ${year} has ${days} days`;
}

export const Environment = z.strictObject({
  default: z.boolean().optional(),
  description: z.string().optional(),
  env: EnvValues.optional(),
});

export const Parameter = z.strictObject({
  pattern: z.string().min(1).meta({ description: 'A regular expression the whole value must match.' }),
  description: z.string().optional(),
  example: z.string().optional(),
});

export const PERMISSIONS = ['deploy', 'rollback', 'abort', 'pause', 'decide', 'lock', 'incident'] as const;

export const Permissions = z.strictObject({
  deploy: Refs,
  rollback: Refs,
  abort: Refs.optional(),
  pause: Refs.optional(),
  decide: Refs.optional(),
  lock: Refs.optional(),
  incident: Refs.optional(),
});

export const Contact = z.strictObject({
  team: z.string().min(1),
  email: z.email().optional(),
  channel: z.string().optional(),
  phone: z.string().optional(),
});

export const RunbookSchema = z
  .strictObject({
    version: z.literal(1, { error: 'this Preflight reads runbook format version 1 only' }),
    service: z
      .string()
      .regex(
        /^[a-z][a-z0-9-]{0,62}$/,
        'a service name is lower-case letters, digits and "-", starting with a letter',
      ),
    title: z.string().optional(),
    description: z.string().optional(),
    timezone: z
      .string()
      .min(1)
      .meta({ description: 'IANA time zone (Asia/Shanghai) or a UTC offset (+08:00).' }),
    window: Window.optional(),
    workdir: z
      .string()
      .optional()
      .meta({ description: 'Where commands run, relative to this file (default: its folder).' }),
    environments: z.record(Id, Environment),
    channels: z.strictObject({
      deploy: z.string().min(1).meta({ description: 'Where deployment threads go, e.g. #deployments.' }),
      incident: z.string().min(1).meta({ description: 'Where incidents go, e.g. #incident-response.' }),
    }),
    people: z.record(Id, Person),
    groups: z.record(Id, z.array(Id)).optional(),
    permissions: Permissions,
    contacts: z.array(Contact).optional(),
    parameters: z.record(z.enum(['version']), Parameter).optional(),
    requires: z.strictObject({ env: z.array(EnvName).optional() }).optional(),
    env: EnvValues.optional(),
    gates: z.record(Id, Gate).optional(),
    checklist: z.array(ChecklistItem).optional(),
    steps: z.array(Step).min(1, 'a runbook needs at least one step'),
    health: z.array(HealthCheck).optional(),
    monitoring: z.array(MonitoringWindow).optional(),
    success: z.array(SuccessCriterion).optional(),
    rollback: Rollback.optional(),
    escalation: Escalation,
    emergency: Emergency.optional(),
  })
  .meta({ title: 'Preflight runbook', description: 'A production deployment runbook run by Preflight.' });

/** A validated runbook, with durations in milliseconds and times parsed. */
export type Runbook = z.output<typeof RunbookSchema>;
export type RunbookStep = Runbook['steps'][number];
export type RunbookGate = NonNullable<Runbook['gates']>[string];
export type RunbookChecklistItem = NonNullable<Runbook['checklist']>[number];
export type RunbookHealthCheck = NonNullable<Runbook['health']>[number];
export type RunbookTrigger = NonNullable<NonNullable<Runbook['rollback']>['triggers']>[number];
export type RunbookRollbackStep = NonNullable<Runbook['rollback']>['steps'][number];
export type RunbookEscalationLevel = Runbook['escalation']['levels'][number];
export type RunbookPerson = Runbook['people'][string];
export type Permission = (typeof PERMISSIONS)[number];
