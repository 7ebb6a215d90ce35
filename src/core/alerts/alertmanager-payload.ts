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

/** Parses a webhook body; the error says what is wrong, for the HTTP 400 reply. */
export function parseAlertmanagerPayload(body: unknown): AlertmanagerPayload | { error: string } {
  const parsed = AlertmanagerPayload.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : 'payload';
  return {
    error: `not an Alertmanager v4 webhook: ${where}: ${issue?.message ?? 'invalid'} (a custom "payload" template is not supported)`,
  };
}
