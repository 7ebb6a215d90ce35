/**
 * A worker process for crash tests: `node tests/helpers/worker-process.ts <redisUrl> <runbook> <prefix>`.
 * Runs the real createPreflight with short lock times, until killed.
 */
import { readConfig } from '../../src/config/config.ts';
import { createPreflight } from '../../src/main.ts';
import { FAST_TUNING } from './engine-harness.ts';

const [redisUrl, runbook, prefix] = process.argv.slice(2);
if (!redisUrl || !runbook || !prefix) {
  console.error('usage: worker-process.ts <redisUrl> <runbook> <prefix>');
  process.exit(2);
}
const config = readConfig({
  REDIS_URL: redisUrl,
  RUNBOOK: runbook,
  LOG_LEVEL: 'warn',
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  PROMETHEUS_URL: process.env.PROMETHEUS_URL,
  ALERTMANAGER_URL: process.env.ALERTMANAGER_URL,
  PAGERDUTY_ROUTING_KEY: process.env.PAGERDUTY_ROUTING_KEY,
  PAGERDUTY_EVENTS_URL: process.env.PAGERDUTY_EVENTS_URL,
});
// How long a try to reach PagerDuty waits for its answer (the bot's default when unset).
const pagerTimeoutMs = Number(process.env.PAGER_TIMEOUT_MS) || undefined;
const preflight = await createPreflight({
  config,
  env: process.env,
  work: true,
  prefix,
  tuning: { ...FAST_TUNING, ...(pagerTimeoutMs !== undefined && { pagerTimeoutMs }) },
});
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void preflight.stop().then(() => process.exit(0));
});
