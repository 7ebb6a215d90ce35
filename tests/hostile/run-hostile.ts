/**
 * `npm run test:hostile`: hostile inputs against the real system (runbook parser, the command pipeline of a
 * running Preflight on its own Redis, the real Bolt receiver, the HTTP server): nothing crashes, no stack trace
 * reaches a person, every input gets a specific answer. Prints the figures and `N passed, N failed`.
 */
import { join } from 'node:path';
import { routeAlertmanager } from '../../src/cli/http-routes.ts';
import { parseRunbook } from '../../src/core/index.ts';
import { startTestRedis } from '../helpers/redis-server.ts';
import { copySandbox } from '../helpers/sandbox-copy.ts';
import { startSlackHarness } from '../helpers/slack-harness.ts';
import { commandCases, runbookCases, STACK } from './hostile-inputs.ts';
import { httpRequests, slackRequests } from './hostile-requests.ts';

const SEED = Number(process.env.HOSTILE_SEED ?? 20261202);
const GENERIC =
  /Invalid input|expected \w+, received|Something went wrong|internal error|\[object Object\]|\bundefined\b|\bNaN\b/;

const results: { category: string; what: string; ok: boolean; why?: string }[] = [];
function record(category: string, what: string, problem: string | undefined): void {
  results.push({ category, what, ok: problem === undefined, ...(problem !== undefined && { why: problem }) });
}
/** What is wrong with a text shown to a person, if anything. */
function judgeText(text: string | undefined, expect?: RegExp): string | undefined {
  if (!text?.trim()) return 'no answer';
  if (STACK.test(text)) return `a stack trace: ${text.slice(0, 160)}`;
  if (GENERIC.test(text)) return `a generic message: ${text.slice(0, 160)}`;
  if (/too many arguments/.test(text) && expect)
    return `"too many arguments" for a length problem: ${text.slice(0, 120)}`;
  if (expect && !expect.test(text)) return `expected ${expect}: ${text.slice(0, 160)}`;
  return undefined;
}

function runbooks(): void {
  for (const c of runbookCases(SEED)) {
    try {
      const result = parseRunbook(c.bytes, 'hostile.yaml');
      const bad = result.errors.find((e) => !(e.line >= 1) || judgeText(e.message) !== undefined);
      record(
        'runbooks',
        c.what,
        bad ? `${bad.line}:${bad.col} ${judgeText(bad.message) ?? 'no line'}` : undefined,
      );
    } catch (error) {
      record('runbooks', c.what, `threw ${(error as Error).message}`);
    }
  }
}

async function main(): Promise<number> {
  const started = performance.now();
  runbooks();
  const redis = await startTestRedis();
  const sandbox = await copySandbox();
  const h = await startSlackHarness({
    redisUrl: redis.url,
    runbookPath: join(sandbox.dir, 'runbook.yaml'),
    ingress: true,
  });
  routeAlertmanager(h.http, h.preflight);
  try {
    for (const c of commandCases()) {
      try {
        const reply = await h.preflight.chat.dispatcher.command({
          platform: 'slack',
          userId: 'U0ALICE01',
          channel: 'C0DEPLOYS',
          text: c.text,
        });
        record('commands', c.what, judgeText(reply?.text, c.expect));
      } catch (error) {
        record('commands', c.what, `threw ${(error as Error).message}`);
      }
    }
    await slackRequests(h, record);
    await httpRequests(h.base, record);
    const alive = await fetch(`${h.base}/healthz`).then(
      (r) => r.status,
      () => 0,
    );
    record('http', 'still serving after everything', alive === 200 ? undefined : `healthz ${alive}`);
  } finally {
    await h.stop();
    await sandbox.remove();
    await redis.stop();
  }
  return report(performance.now() - started);
}

function report(ms: number): number {
  const categories = [...new Set(results.map((r) => r.category))];
  console.log(`hostile inputs (seed ${SEED}):`);
  for (const category of categories) {
    const mine = results.filter((r) => r.category === category);
    console.log(
      `  ${category.padEnd(9)} ${String(mine.length).padStart(4)} inputs, ${mine.filter((r) => !r.ok).length} failed`,
    );
  }
  const failed = results.filter((r) => !r.ok);
  for (const f of failed.slice(0, 40)) console.log(`  ✗ ${f.category}: ${f.what}: ${f.why}`);
  console.log(`  time ${(ms / 1000).toFixed(1)} s`);
  console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
  return failed.length === 0 ? 0 : 1;
}

process.exitCode = await main();
