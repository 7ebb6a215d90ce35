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
import { postAlert, shopDownAlert, shopRunbook } from '../helpers/shop-alert.ts';
import { type RunningBot, spawnStart } from '../helpers/spawn-start.ts';

/** Many levels, each paging Ben in the thread and by direct message 100 ms after the one before; the last repeats once, then hourly. */
const LEVELS = Array.from({ length: 13 }, (_, i) => `L${i + 1}`);

const RUNBOOK = shopRunbook({
  people: { ann: 'U0ANN0001', ben: 'U0BEN0001' },
  levels: LEVELS.map((id) => `{ id: ${id}, notify: [ben], via: [mention, dm], respond_within: 100ms }`),
  repeatLastEvery: '1h',
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
  expect(await (await postAlert(bot.base, shopDownAlert())).json()).toMatchObject({ incidents: ['INC-1'] });
  const client = new Redis(redis.url);
  const incidents = createRedisIncidentStore({ redis: client });
  try {
    // Every level paged and nobody answered: the incident is open and still firing, its last level comes again in an
    // hour, and its pages are still to be shown to whoever reads the chat.
    let paged: Incident | undefined;
    await vi.waitFor(
      async () => {
        paged = await incidents.get('INC-1');
        // The last level's first repeat comes after its respond_within, the next ones hourly.
        expect(paged?.pages.length).toBe(LEVELS.length + 1);
        expect(paged?.next).toMatchObject({ level: LEVELS.length - 1, repeat: 2 });
      },
      { timeout: 30_000, interval: 100 },
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
    expect(pageLines[0]).toContain(`${LEVELS.at(-1)} paged again (1) for INC-1: @ben`);
    expect(last?.level).toBe(LEVELS.length - 1);
    // Ben's direct messages too: the latest page, once.
    expect(lines.filter((line) => /DM → @ben .*You are paged \(L\d+\) for INC-1/.test(line))).toHaveLength(1);
    expect(lines.filter((line) => line.includes(`You are paged (${LEVELS.at(-1)}) for INC-1`))).toHaveLength(
      1,
    );
    expect(session.stdout.match(/Shop down/g)?.length).toBeGreaterThanOrEqual(1);
  } finally {
    client.disconnect();
  }
}, 120_000);
