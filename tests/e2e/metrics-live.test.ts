/**
 * /metrics of a real `preflight start` (Slack against a local fake) after real activity: a deployment through its
 * gate and step, a refused command, an unknown command, a declared incident paged up to L2 (PagerDuty refusing the
 * L1 page), and a Slack 429. Every
 * family then has samples, Prometheus accepts the text, and every name the shipped dashboard and alert rules use
 * is there.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { FakeMonitoring } from '../helpers/fake-monitoring.ts';
import { DEPLOY_CHANNEL } from '../helpers/fake-slack-api.ts';
import { repoRoot } from '../helpers/load-runbook.ts';
import { labelProblems, type Query, shownLabels } from '../helpers/promql-labels.ts';
import { eventCallback, postToSlackEndpoint, reactionEvent, slashCommand } from '../helpers/signed-slack.ts';
import { waitFor } from '../helpers/slack-harness.ts';
import type { RunningBot } from '../helpers/spawn-start.ts';
import { useSpawnedSlackWorld } from '../helpers/spawned-slack-world.ts';

const RUNBOOK = `version: 1
service: svc
timezone: UTC
environments: { production: { default: true } }
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  alice: { name: Alice, slack: U0ALICE01, pagerduty: PALICE1 }
  bob: { name: Bob, slack: U0BOB0001, pagerduty: PBOB001 }
  carol: { name: Carol, slack: U0CAROL01 }
groups: { ops: [alice, bob] }
permissions: { deploy: [ops], rollback: [ops], incident: [ops] }
parameters: { version: { pattern: '^v\\d+\\.\\d+\\.\\d+$' } }
gates: { go: { title: Go sign-off, approvers: [bob] } }
steps:
  - { id: ship, title: Ship it, needs: [go], run: "true" }
rollback:
  triggers: [{ id: declared, title: Declared, manual: true }]
  steps: [{ id: undo, title: Undo, run: "true" }]
escalation:
  levels:
    - { id: L1, notify: [alice], via: [mention, pagerduty], respond_within: 1s }
    - { id: L2, notify: [bob], via: [mention, pagerduty], respond_within: 1s }
`;

const world = useSpawnedSlackWorld(RUNBOOK, { pagerDuty: true });
let bot: RunningBot;
let pagerduty: FakeMonitoring;
beforeAll(async () => {
  pagerduty = world.pagerDuty;
  bot = await world.start();
}, 30_000);

const scrape = async () => (await fetch(`${bot.base}/metrics`)).text();

/** The value of the sample `name{labels…}` (labels matched as a subset), or undefined without one. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match?.[1] !== name) continue;
    const has = Object.entries(labels).every(([k, v]) => (match[2] ?? '').includes(`${k}="${v}"`));
    if (has) return Number(match[3]);
  }
  return undefined;
}

const command = (user: string, line: string) => {
  const [name = '', ...words] = line.split(' ');
  return postToSlackEndpoint(
    `${bot.base}/slack/events`,
    slashCommand({
      user,
      command: name,
      text: words.join(' '),
      channel: DEPLOY_CHANNEL,
      responseUrl: world.slack.responseUrl(line),
      triggerId: `trigger-${Math.random()}`,
    }),
  );
};

/** Waits until the sample exists and is at least `min`. */
const waitForSample = (name: string, labels: Record<string, string>, min = 1) =>
  waitFor(`${name} ${JSON.stringify(labels)} ≥ ${min}`, async () => {
    const value = sample(await scrape(), name, labels);
    return value !== undefined && value >= min;
  });

describe('/metrics after a deployment, a refusal, an incident and a 429', () => {
  it('shows the counters alert rules watch and the histograms at 0 before anything happened', async () => {
    const text = await scrape();
    const zeros = [
      ['preflight_deployments_finished_total', { service: 'svc', outcome: 'failed' }],
      ['preflight_deployments_finished_total', { service: 'svc', outcome: 'rolled_back' }],
      ['preflight_incidents_opened_total', { service: 'svc' }],
      ['preflight_pages_total', { level: 'L1' }],
      ['preflight_escalations_total', { level: 'L2' }],
      ['preflight_chat_sends_total', { platform: 'slack', outcome: 'rate_limited' }],
      ['preflight_pagerduty_events_total', { action: 'trigger', outcome: 'refused' }],
      ['preflight_pagerduty_events_total', { action: 'trigger', outcome: 'failed' }],
      ['preflight_pagerduty_events_total', { action: 'trigger', outcome: 'sent' }],
    ] as const;
    expect(zeros.map(([name, labels]) => sample(text, name, labels))).toEqual(zeros.map(() => 0));
    // The histograms dashboards read have their series too, empty: no observations, rather than no data.
    const empty = [
      ['preflight_step_duration_seconds_count', { service: 'svc', phase: 'deploy', outcome: 'succeeded' }],
      [
        'preflight_step_duration_seconds_bucket',
        { service: 'svc', phase: 'deploy', outcome: 'failed', le: '+Inf' },
      ],
      ['preflight_step_duration_seconds_count', { service: 'svc', phase: 'rollback', outcome: 'timed_out' }],
      ['preflight_gate_wait_seconds_count', { service: 'svc', outcome: 'approved' }],
      ['preflight_gate_wait_seconds_bucket', { service: 'svc', outcome: 'expired', le: '60' }],
      ['preflight_chat_send_lag_seconds_count', { platform: 'slack' }],
      ['preflight_outbox_lag_seconds_count', {}],
    ] as const;
    expect(empty.map(([name, labels]) => sample(text, name, labels))).toEqual(empty.map(() => 0));
    // Deployments by state shows the states a deployment can be in while it runs, not the final ones.
    expect(sample(text, 'preflight_deployments_active', { state: 'needs_decision' })).toBe(0);
    expect(sample(text, 'preflight_deployments_active', { state: 'succeeded' })).toBeUndefined();
  });

  it('counts each of them in the families an operator reads', async () => {
    world.slack.fail('chat.postMessage', { status: 429, retryAfter: 1 }, 1);
    expect((await command('U0ALICE01', '/deploy start svc v1.0.0')).status).toBe(200);
    const gate = await waitFor('the gate message', () =>
      world.slack.messages.find((m) => m.threadTs !== undefined && m.text.includes('Go sign-off')),
    );
    const approve = reactionEvent({
      user: 'U0BOB0001',
      channel: gate.channel,
      ts: gate.ts,
      emoji: 'white_check_mark',
    });
    expect(
      (await postToSlackEndpoint(`${bot.base}/slack/events`, eventCallback(approve, 'EvApprove1'))).status,
    ).toBe(200);
    await waitForSample('preflight_deployments_finished_total', { service: 'svc', outcome: 'succeeded' });

    expect((await command('U0CAROL01', '/deploy start svc v1.0.1')).status).toBe(200);
    expect((await command('U0ALICE01', '/deploy frobnicate')).status).toBe(200);
    // The first PagerDuty event (the L1 page) is refused, as with a revoked routing key; L2's is taken.
    pagerduty.pagerduty.replies.push(400);
    expect((await command('U0ALICE01', '/incident open svc the service answers 500')).status).toBe(200);
    await waitForSample('preflight_escalations_total', { level: 'L2' });
    await waitForSample('preflight_pagerduty_events_total', { action: 'trigger', outcome: 'sent' });
    await waitForSample('preflight_chat_commands_total', { command: 'incident open', outcome: 'ok' });

    const text = await scrape();
    const at = (name: string, labels: Record<string, string> = {}) => sample(text, name, labels) ?? 0;
    expect(at('preflight_chat_commands_total', { command: 'deploy start', outcome: 'ok' })).toBe(1);
    expect(at('preflight_chat_commands_total', { command: 'deploy start', outcome: 'refused' })).toBe(1);
    expect(at('preflight_chat_commands_total', { command: 'unknown', outcome: 'invalid' })).toBe(1);
    expect(
      at('preflight_access_refusals_total', { action: 'start', via: 'command', code: 'NOT_PERMITTED' }),
    ).toBe(1);
    expect(
      at('preflight_step_duration_seconds_count', { service: 'svc', phase: 'deploy', outcome: 'succeeded' }),
    ).toBe(1);
    expect(at('preflight_gate_wait_seconds_count', { service: 'svc', outcome: 'approved' })).toBe(1);
    expect(at('preflight_incidents_opened_total', { service: 'svc' })).toBe(1);
    expect(at('preflight_pages_total', { level: 'L1' })).toBe(1);
    expect(at('preflight_pagerduty_events_total', { action: 'trigger', outcome: 'refused' })).toBe(1);
    expect(at('preflight_pagerduty_events_total', { action: 'trigger', outcome: 'sent' })).toBeGreaterThan(0);
    expect(at('preflight_chat_sends_total', { platform: 'slack', outcome: 'rate_limited' })).toBe(1);
    expect(at('preflight_chat_sends_total', { platform: 'slack', outcome: 'sent' })).toBeGreaterThan(0);
    expect(at('preflight_chat_send_lag_seconds_count', { platform: 'slack' })).toBeGreaterThan(0);
    expect(at('preflight_outbox_lag_seconds_count')).toBeGreaterThan(0);
    expect(sample(text, 'preflight_chat_queue_depth', { platform: 'slack' })).toBeDefined();
    expect(sample(text, 'preflight_queue_jobs', { queue: 'pf-steps', state: 'waiting' })).toBeDefined();
    expect(sample(text, 'preflight_incidents_open', { state: 'open' })).toBe(1);
  }, 90_000);

  it('has samples in every family, and Prometheus accepts the text (promtool check metrics)', async () => {
    const text = await scrape();
    const families = [...text.matchAll(/^# TYPE (preflight_\w+) (\w+)$/gm)].map(([, name, type]) => ({
      name: name ?? '',
      type,
    }));
    expect(families.length).toBeGreaterThan(20);
    // Preflight's own families; prom-client's process gauges by type (active handles, requests) can be empty.
    const own = families.filter(({ name }) => !/^preflight_(nodejs|process)_/.test(name));
    expect(own.length).toBeGreaterThanOrEqual(14);
    const empty = own.filter(({ name }) => !new RegExp(`^${name}(_bucket|_sum|_count)?[{ ]`, 'm').test(text));
    expect(empty.map((f) => f.name)).toEqual([]);
    // Each family once: one HELP line per name.
    const helps = text.split('\n').filter((l) => l.startsWith('# HELP '));
    expect(new Set(helps.map((l) => l.split(' ')[2])).size).toBe(helps.length);
    const checked = await execa('promtool', ['check', 'metrics'], { input: text, reject: false });
    expect(`${checked.stdout}${checked.stderr}`.trim()).toBe('');
    expect(checked.exitCode).toBe(0);
  });

  it('serves every series and label value the shipped alert rules and dashboard query (promtool check rules)', async () => {
    const rulesFile = join(repoRoot, 'monitoring/preflight-alerts.yml');
    const checked = await execa('promtool', ['check', 'rules', rulesFile], { reject: false });
    expect(checked.stdout).toContain('SUCCESS');
    expect(checked.exitCode).toBe(0);
    const rules = parse(readFileSync(rulesFile, 'utf8')) as { groups: { rules: { expr: string }[] }[] };
    const dashboard = JSON.parse(
      readFileSync(join(repoRoot, 'monitoring/grafana-dashboard.json'), 'utf8'),
    ) as {
      panels: { targets: { expr: string }[] }[];
    };
    const exprs = [
      ...rules.groups.flatMap((g) => g.rules.map((r) => r.expr)),
      ...dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)),
    ];
    const text = await scrape();
    const missing: string[] = [];
    for (const expr of exprs) {
      for (const [, name = '', labels] of expr.matchAll(/([a-z_:][a-z0-9_:]*)(?:\{([^}]*)\})?/g)) {
        if (!name.startsWith('preflight_')) continue;
        if (!new RegExp(`^${name}[{ ]`, 'm').test(text)) missing.push(`${name} in ${expr}`);
        for (const [, label, value] of (labels ?? '').matchAll(/(\w+)="([^"]*)"/g))
          if (sample(text, name, { [label ?? '']: value ?? '' }) === undefined)
            missing.push(`${name}{${label}="${value}"} in ${expr}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('groups, matches and names series only by labels /metrics gives them (legends, annotations, by, =~)', async () => {
    const rules = parse(readFileSync(join(repoRoot, 'monitoring/preflight-alerts.yml'), 'utf8')) as {
      groups: { rules: { alert: string; expr: string; annotations: Record<string, string> }[] }[];
    };
    const dashboard = JSON.parse(
      readFileSync(join(repoRoot, 'monitoring/grafana-dashboard.json'), 'utf8'),
    ) as { panels: { title: string; targets: { expr: string; legendFormat?: string }[] }[] };
    const queries: Query[] = [
      ...rules.groups.flatMap((g) =>
        g.rules.map((r) => ({
          where: r.alert,
          expr: r.expr,
          shows: shownLabels(Object.values(r.annotations).join(' ')),
        })),
      ),
      ...dashboard.panels.flatMap((p) =>
        p.targets.map((t) => ({ where: p.title, expr: t.expr, shows: shownLabels(t.legendFormat ?? '') })),
      ),
    ];
    const text = await scrape();
    expect(queries.flatMap((q) => labelProblems(text, q))).toEqual([]);
  });

  it('fires the shipped alerts as their descriptions say (promtool test rules)', async () => {
    const tested = await execa('promtool', ['test', 'rules', 'monitoring/preflight-alerts.test.yml'], {
      cwd: repoRoot,
      reject: false,
    });
    expect(`${tested.stdout}${tested.stderr}`).toContain('SUCCESS');
    expect(tested.exitCode).toBe(0);
  });
});
