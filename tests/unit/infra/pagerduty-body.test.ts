/** A PagerDuty event body stays within PagerDuty's limits whatever the incident says: summary, details, event. */
import { describe, expect, it } from 'vitest';
import type { PagerEvent } from '../../../src/core/index.ts';
import {
  boundDetails,
  DETAILS_MAX_BYTES,
  EVENT_MAX_BYTES,
  pagerDutyBody,
  SUMMARY_MAX_CHARS,
} from '../../../src/infra/pagerduty-body.ts';

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');
const trigger = (summary: string, details: Record<string, unknown>): PagerEvent => ({
  action: 'trigger',
  dedupKey: 'preflight/INC-1/L1',
  summary,
  source: 'preflight/svc',
  severity: 'critical',
  component: 'svc',
  group: 'production',
  details,
});

describe('the PagerDuty event body', () => {
  it('keeps a summary and details that fit as they are', () => {
    const body = pagerDutyBody('k', trigger('[L1] svc production: down', { incident: 'INC-1' }), new Date(0));
    expect(body.payload).toMatchObject({
      summary: '[L1] svc production: down',
      custom_details: { incident: 'INC-1' },
    });
  });

  it('cuts an outsize summary to 1024 characters, never inside one', () => {
    const body = pagerDutyBody('k', trigger('🔥'.repeat(5_000), {}), new Date(0));
    const summary = [...((body.payload as { summary: string }).summary ?? '')];
    expect(summary).toHaveLength(SUMMARY_MAX_CHARS);
    expect(summary.at(-1)).toBe('…');
    expect(summary.slice(0, -1).every((c) => c === '🔥')).toBe(true);
  });

  it('cuts outsize details to their share, keeping what fits and saying that it cut', () => {
    const details = {
      incident: 'INC-1',
      escalation_level: 'L1',
      notify: Array.from({ length: 20_000 }, (_, i) => `person-${i}`),
      health: `"quoted"\n${'x'.repeat(600_000)}`,
    };
    const bounded = boundDetails(details);
    expect(bytes(bounded)).toBeLessThanOrEqual(DETAILS_MAX_BYTES);
    expect(bounded).toMatchObject({ incident: 'INC-1', escalation_level: 'L1' });
    expect(String(bounded.truncated)).toContain('cut to fit');
    const body = pagerDutyBody('k'.repeat(32), trigger('x'.repeat(100_000), details), new Date(0));
    expect(bytes(body)).toBeLessThanOrEqual(EVENT_MAX_BYTES);
  });

  it('sends acknowledge and resolve as the routing key, the key and the action only', () => {
    expect(pagerDutyBody('k', { ...trigger('s', {}), action: 'resolve' }, new Date(0))).toEqual({
      routing_key: 'k',
      dedup_key: 'preflight/INC-1/L1',
      event_action: 'resolve',
    });
  });
});
