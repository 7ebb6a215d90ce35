/**
 * `preflight start` with no chat (a container) pages an incident over and over while nobody reads the terminal
 * chat; a `preflight console` attached later sees the incident and its latest page once, not every repeat queued
 * meanwhile (the real bins, one Redis).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { Incident } from '../../src/core/index.ts';
import { createRedisIncidentStore } from '../../src/infra/redis/redis-incident-store.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis-server.ts';
import { runConsoleSession } from '../helpers/run-console.ts';
import { type RunningBot, spawnStart } from '../helpers/spawn-start.ts';

const RUNBOOK = `version: 1
service: shop
timezone: UTC
environments: { production: { default: true } }
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  ann: { name: Ann, slack: U0ANN0001 }
  ben: { name: Ben, slack: U0BEN0001 }
groups: { ops: [ann] }
permissions: { deploy: [ops], rollback: [ops] }
steps:
  - { id: build, title: Build, run: "true" }
rollback:
  triggers:
    - { id: shop-down, title: Shop down, alertmanager: { match: { service: shop } } }
  steps:
    - { id: undo, title: Undo, run: "true" }
escalation:
  levels:
    - { id: L1, notify: [ann], respond_within: 100ms }
    - { id: L3, notify: [ben], via: [mention, dm], respond_within: 100ms }
  repeat_last_every: 100ms
`;

const alert = (status: 'firing' | 'resolved') => ({
  version: '4',
  groupKey: '{}:{alertname="ShopDown"}',
  truncatedAlerts: 0,
  status,
  receiver: 'preflight',
  groupLabels: { alertname: 'ShopDown' },
  commonLabels: { alertname: 'ShopDown', service: 'shop' },
  commonAnnotations: {},
  externalURL: 'http://alertmanager.local',
  alerts: [
    {
      status,
      labels: { alertname: 'ShopDown', service: 'shop', severity: 'critical' },
      annotations: { summary: 'shop is down' },
      startsAt: '2026-01-07T06:00:00Z',
      endsAt: status === 'firing' ? '0001-01-01T00:00:00Z' : '2026-01-07T07:00:00Z',
      generatorURL: 'http://prometheus.local/graph',
      fingerprint: 'f00d',
    },
  ],
});

let redis: TestRedis;
let dir: string;
let bot: RunningBot | undefined;

beforeAll(async () => {
  redis = await startTestRedis();
  dir = mkdtempSync(join(tmpdir(), 'preflight-backlog-'));
  writeFileSync(join(dir, 'runbook.yaml'), RUNBOOK);
});

afterAll(async () => {
  await bot?.stop();
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('shows the incident and its latest page (and direct message) once to a terminal attached after many repeats', async () => {
  bot = await spawnStart(
    { REDIS_URL: redis.url, RUNBOOK: join(dir, 'runbook.yaml'), LOG_LEVEL: 'warn' },
    { cwd: dir },
  );
  const post = (status: 'firing' | 'resolved') =>
    fetch(`${bot?.base}/webhooks/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alert(status)),
    });
  expect(await (await post('firing')).json()).toMatchObject({ incidents: ['INC-1'] });
  const client = new Redis(redis.url);
  const incidents = createRedisIncidentStore({ redis: client });
  try {
    await vi.waitFor(async () => expect((await incidents.get('INC-1'))?.pages.length).toBeGreaterThan(12), {
      timeout: 30_000,
      interval: 100,
    });
    // The alert recovers: paging stops, the incident stays open with the pages it had.
    expect((await post('resolved')).status).toBe(200);
    let paged: Incident | undefined;
    await vi.waitFor(
      async () => {
        paged = await incidents.get('INC-1');
        expect(paged?.next).toBeUndefined();
      },
      { timeout: 10_000 },
    );
    await bot.stop();
    bot = undefined;
    const pages = (await incidents.get('INC-1'))?.pages ?? [];
    const last = pages.at(-1);

    const session = await runConsoleSession({ redisUrl: redis.url, dir }, '', '--as', 'ann');
    expect(session.status, session.stderr).toBe(0);
    const lines = session.stdout.split('\n');
    const pageLines = lines.filter((line) => /#incident-response .*paged.* for INC-1/.test(line));
    expect(pageLines).toHaveLength(1);
    expect(pageLines[0]).toContain(`L3 paged again (${last?.repeat}) for INC-1: @ben`);
    // Ben's direct messages too: the latest page, once.
    expect(lines.filter((line) => /DM → @ben .*You are paged \(L3\) for INC-1/.test(line))).toHaveLength(1);
    expect(session.stdout.match(/Shop down/g)?.length).toBeGreaterThanOrEqual(1);
  } finally {
    client.disconnect();
  }
}, 120_000);
