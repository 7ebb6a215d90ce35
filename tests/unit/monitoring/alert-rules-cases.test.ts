/**
 * Every shipped alert has promtool cases (run by tests/e2e/metrics-live.test.ts) that show it fire in the situation
 * its summary names and stay quiet in a nearby normal one, and tells the on-call what to do.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../../helpers/load-runbook.ts';

interface Rule {
  readonly alert: string;
  readonly annotations: { readonly summary?: string; readonly description?: string };
}
interface Case {
  readonly alert_rule_test?: readonly { alertname: string; exp_alerts: readonly unknown[] }[];
}

const read = (file: string) => parse(readFileSync(join(repoRoot, 'monitoring', file), 'utf8'));
const rules = (read('preflight-alerts.yml') as { groups: { rules: Rule[] }[] }).groups.flatMap(
  (g) => g.rules,
);
const checks = (read('preflight-alerts.test.yml') as { tests: Case[] }).tests.flatMap(
  (t) => t.alert_rule_test ?? [],
);

describe('the shipped alert rules', () => {
  it('each have a promtool case where they fire and one where they stay quiet', () => {
    const untested = rules.flatMap(({ alert }) => {
      const mine = checks.filter((c) => c.alertname === alert);
      return [
        ...(mine.some((c) => c.exp_alerts.length > 0) ? [] : [`${alert} never shown firing`]),
        ...(mine.some((c) => c.exp_alerts.length === 0) ? [] : [`${alert} never shown quiet`]),
      ];
    });
    expect(untested).toEqual([]);
  });

  it('each say what happened and what to do: a summary, and a description that names a check or a command', () => {
    const vague = rules
      .filter(
        ({ annotations: { summary, description } }) =>
          !summary ||
          !/\b(check|run|add|answer|invite|look|restart|reach|start|scale)\b|\/\w+/i.test(description ?? ''),
      )
      .map((r) => r.alert);
    expect(vague).toEqual([]);
  });
});
