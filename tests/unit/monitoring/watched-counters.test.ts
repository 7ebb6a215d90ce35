/**
 * What Preflight trades with the outside (chat sends, PagerDuty events, Alertmanager webhooks) can fail where nobody
 * looks: each of these counters has an alert rule and a dashboard panel, and every outcome counted for it on
 * /metrics is shown there.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { WEBHOOK_OUTCOMES } from '../../../src/infra/metrics.ts';
import { repoRoot } from '../../helpers/load-runbook.ts';

const WATCHED = [
  'preflight_chat_sends_total',
  'preflight_pagerduty_events_total',
  'preflight_alertmanager_webhooks_total',
];

const read = (file: string) => readFileSync(join(repoRoot, 'monitoring', file), 'utf8');
const rules = (
  parse(read('preflight-alerts.yml')) as { groups: { rules: { alert: string; expr: string }[] }[] }
).groups.flatMap((g) => g.rules);
const panels = (
  JSON.parse(read('grafana-dashboard.json')) as {
    panels: { title: string; targets: { expr: string; legendFormat?: string }[] }[];
  }
).panels;

describe('the counters of what Preflight trades with the outside', () => {
  it.each(WATCHED)('%s has an alert rule and a dashboard panel', (name) => {
    expect(rules.filter((r) => r.expr.includes(name)).map((r) => r.alert)).not.toEqual([]);
    expect(
      panels.filter((p) => p.targets.some((t) => t.expr.includes(name))).map((p) => p.title),
    ).not.toEqual([]);
  });

  it('the webhook panel shows every outcome, and the rules watch every outcome but accepted', () => {
    const panel = panels.find((p) =>
      p.targets.some((t) => t.expr.includes('preflight_alertmanager_webhooks_total')),
    );
    expect(
      panel?.targets.some((t) => /by \(outcome\)/.test(t.expr) && t.legendFormat?.includes('{{outcome}}')),
    ).toBe(true);
    const watched = rules
      .filter((r) => r.expr.includes('preflight_alertmanager_webhooks_total'))
      .map((r) => r.expr)
      .join('\n');
    const unwatched = WEBHOOK_OUTCOMES.filter(
      (outcome) => outcome !== 'accepted' && !new RegExp(`outcome=~?"[^"]*\\b${outcome}\\b`).test(watched),
    );
    expect(unwatched).toEqual([]);
  });
});
