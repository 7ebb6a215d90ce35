/** Health checks, post-deploy monitoring, success criteria, rollback triggers and the escalation ladder. */
import * as z from 'zod';
import { Expectation, RollbackStep } from './schema-commands.ts';
import { ComparisonSchema, Duration, Id, Percent, PositiveDuration, Refs } from './schema-scalars.ts';

const Labels = z.record(z.string(), z.string());

export const HttpProbe = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. http://localhost:8080/health' }),
  method: z.enum(['GET', 'HEAD', 'POST']).optional(),
  status: z.union([z.int().min(100).max(599), z.array(z.int().min(100).max(599)).min(1)]).optional(),
  contains: z.string().optional().meta({ description: 'The response body must contain this text.' }),
  timeout: PositiveDuration.optional(),
});

export const PrometheusProbe = z.strictObject({
  query: z.string().min(1),
  expect: ComparisonSchema.optional().meta({
    description: 'Every returned sample must satisfy this, e.g. "== 1".',
  }),
  url: z.url().optional().meta({ description: 'Prometheus base URL (default PROMETHEUS_URL).' }),
  no_data: z.enum(['failing', 'passing', 'unknown']).optional().meta({
    description:
      'What a query returning no series means: failing (the default: a target gone), passing (an error-rate query with no errors), or unknown (never fires; said as a monitoring problem).',
  }),
});

const AlertLabels = Labels.meta({
  description:
    "Labels an alert must carry to count, e.g. { severity: critical }. Only the runbook's service's alerts count: its service (or job) label, unless match names a service; and only the deployment's environment's: its environment (or env) label; none is the default environment.",
});

export const AlertmanagerProbe = z.strictObject({
  match: AlertLabels,
  max: z.int().min(0).optional().meta({ description: 'Most firing alerts allowed (default 0).' }),
  url: z.url().optional().meta({ description: 'Alertmanager base URL (default ALERTMANAGER_URL).' }),
});

export const HealthCheck = z.strictObject({
  id: Id,
  title: z.string().optional(),
  http: HttpProbe.optional(),
  prometheus: PrometheusProbe.optional(),
  alertmanager: AlertmanagerProbe.optional(),
  run: z.string().min(1).optional(),
  argv: z.array(z.string()).min(1).optional(),
  expect: Expectation.optional(),
  timeout: PositiveDuration.optional(),
});

export const Task = z.union([
  z.string().min(1),
  z.strictObject({ title: z.string().min(1), owner: Refs.optional() }),
]);

export const MonitoringWindow = z.strictObject({
  id: Id.optional(),
  title: z.string().optional(),
  from: Duration.meta({ description: 'Start, after the deployment finished (e.g. 0h).' }),
  to: Duration.meta({ description: 'End, after the deployment finished (e.g. 1h).' }),
  every: Duration.optional().meta({ description: 'How often the checks run.' }),
  checks: z.array(Id).optional(),
  tasks: z.array(Task).optional(),
  owner: Refs.optional().meta({ description: 'Who is reminded of the tasks.' }),
});

export const SuccessCriterion = z.strictObject({
  id: Id,
  title: z.string().min(1),
  at: Duration.meta({ description: 'When, after the deployment finished, the criterion is evaluated.' }),
  require: z.array(Id).optional().meta({ description: 'Health checks that must pass.' }),
  criteria: z
    .array(z.string().min(1))
    .optional()
    .meta({ description: 'Criteria people confirm in the report.' }),
});

export const Trigger = z.strictObject({
  id: Id,
  title: z.string().optional(),
  health: z
    .array(Id)
    .min(1)
    .optional()
    .meta({ description: 'Health checks whose failure fires this trigger.' }),
  failing_for: Duration.optional(),
  prometheus: z.strictObject({ query: z.string().min(1), url: z.url().optional() }).optional(),
  worse_than_baseline: Percent.optional().meta({
    description: 'Fires when the value is this much worse than before.',
  }),
  min_baseline: z.number().positive().optional().meta({
    description:
      'The least baseline a worse_than_baseline trigger compares with: a percentage of 0 means nothing. Also stands in when no baseline could be measured.',
  }),
  alertmanager: z.strictObject({ match: AlertLabels, url: z.url().optional() }).optional(),
  min: z.int().min(1).optional().meta({ description: 'Firing alerts needed to fire the trigger.' }),
  manual: z.boolean().optional().meta({ description: 'Declared by a person with /incident open.' }),
});

export const Rollback = z.strictObject({
  triggers: z.array(Trigger).optional(),
  approval: z
    .strictObject({
      approvers: Refs,
      required: z.int().min(1).optional(),
      allow_self: z.boolean().optional(),
    })
    .optional(),
  automatic: z
    .boolean()
    .optional()
    .meta({ description: 'Run the rollback without a prompt when a trigger fires.' }),
  steps: z.array(RollbackStep).min(1, 'a rollback plan needs at least one step'),
});

export const PageVia = z.enum(['mention', 'dm', 'pagerduty']);

export const EscalationLevel = z.strictObject({
  id: Id,
  title: z.string().optional(),
  notify: z.array(Id).min(1, 'an escalation level must notify at least one person or group'),
  via: z.array(PageVia).min(1).optional().meta({ description: 'How people are paged (default mention).' }),
  respond_within: PositiveDuration,
});

export const Escalation = z.strictObject({
  levels: z.array(EscalationLevel).min(1, 'the escalation path needs at least one level'),
  repeat_last_every: PositiveDuration.optional(),
});
