/** The Alertmanager webhook payload, version 4 (reference/integrations.md §3.1). Unknown shapes are refused. */
import * as z from 'zod';

const Labels = z.record(z.string(), z.string());

/**
 * An alert's fingerprint and start name the Redis key that remembers it for a week (alert-identity.ts): bounded, so
 * a sender cannot make each remembered alert a megabyte. Alertmanager's are 16 hex digits and an RFC 3339 time.
 */
const Fingerprint = z
  .string()
  .max(128, { error: 'longer than 128 characters (Alertmanager sends 16 hex digits)' });
const Time = z.string().max(64, { error: 'longer than 64 characters (Alertmanager sends an RFC 3339 time)' });

const Alert = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: Labels,
  annotations: Labels.optional().default({}),
  startsAt: Time,
  endsAt: z.string().optional(),
  generatorURL: z.string().optional(),
  fingerprint: Fingerprint.optional(),
});

export const AlertmanagerPayload = z.object({
  version: z.literal('4', { error: 'only Alertmanager webhook version "4" is understood' }),
  groupKey: z.string(),
  truncatedAlerts: z.number().int().min(0).optional(),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string(),
  groupLabels: Labels,
  commonLabels: Labels,
  commonAnnotations: Labels.optional(),
  externalURL: z.string(),
  notification_reason: z.string().optional(),
  routeLabels: Labels.optional(),
  alerts: z.array(Alert),
});

export type AlertmanagerPayload = z.output<typeof AlertmanagerPayload>;

const EXPECTED: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  record: 'a mapping of names to texts',
  object: 'an object',
  array: 'a list',
};

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'text';
  return `a ${typeof value}`;
}

function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let current = body;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** One problem in words: what is missing, or what a field should hold and what it held. */
function describeIssue(body: unknown, issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? issue.path.map(String).join('.') : 'the body';
  const value = valueAt(body, issue.path);
  if (issue.code === 'invalid_value' && issue.path[0] !== 'version') {
    const allowed = issue.values.map((v) => JSON.stringify(v)).join(' or ');
    return value === undefined
      ? `${where} is missing (${allowed})`
      : `${where} should be ${allowed}, not ${JSON.stringify(value)?.slice(0, 40)}`;
  }
  if (issue.code !== 'invalid_type') return `${where}: ${issue.message}`;
  if (value === undefined && issue.path.length > 0) return `${where} is missing`;
  return `${where} should be ${EXPECTED[issue.expected] ?? issue.expected}, not ${describeValue(value)}`;
}

/** Parses a webhook body; the error says what is wrong, for the HTTP 400 reply. */
export function parseAlertmanagerPayload(body: unknown): AlertmanagerPayload | { error: string } {
  const parsed = AlertmanagerPayload.safeParse(body);
  if (parsed.success) return parsed.data;
  // Another version's payload differs everywhere: its version is the one thing to say.
  const wrongVersion = parsed.error.issues.filter((issue) => issue.path[0] === 'version');
  const issues = wrongVersion.length > 0 ? wrongVersion : parsed.error.issues;
  const shown = issues.slice(0, 3).map((issue) => describeIssue(body, issue));
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : '';
  return {
    error: `not an Alertmanager v4 webhook: ${shown.join('; ')}${more} (a custom "payload" template is not supported)`,
  };
}
