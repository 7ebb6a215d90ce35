/**
 * Gates and decisions through the terminal chat, each session a real `preflight console` process: withdrawn
 * approvals, a rejection with its reason, expiry with reminders, refusals of /rollback, /deploy abort and
 * /deploy decide, a decision, and a bot restart between a gate request and its approval.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { useRedisSandbox } from '../helpers/redis-sandbox.ts';
import { runConsoleSession, startedIds } from '../helpers/run-console.ts';

const world = useRedisSandbox();

const run = (script: string) =>
  runConsoleSession({ redisUrl: world.redis.url, dir: world.sandbox.dir }, script);

const START_AND_TICK = (version: string) => `
@alice /deploy start toy ${version}
@bob react last/checklist-item:release-notes ✅
@dave react last/checklist-item:security-scan ✅
@carol react last/checklist-item:support-told ✅
wait last awaiting_gates 30s
`;

describe('gates in the terminal chat', () => {
  it('withdraws a removed ✅, and a ❌ rejects with the reason asked for in the thread', async () => {
    const session = await run(`${START_AND_TICK('v1.3.0')}
@bob react last/gate:operations ✅
@bob unreact last/gate:operations ✅
@dave react last/gate:security ❌
wait last failed 20s
wait last/note:reason:security
@dave reply last/gate:security CVE-2026-1234 is not fixed yet
`);
    expect(session.status, session.stdout.slice(-2000)).toBe(0);
    const out = session.stdout;
    expect(out).toContain('@bob withdrew their approval of the Operations sign-off gate.');
    expect(out).toContain(
      "@dave rejected the Security sign-off gate. Please give the reason: reply in this thread, or press Give the reason on the gate's message.",
    );
    expect(out).toContain('Outcome: the Security sign-off gate was rejected by Dave Diaz (Security)');
    expect(out).toMatch(/❌ Security sign-off gate rejected by @dave: CVE-2026-1234 is not fixed yet/);
    // Once given, the request says the reason instead of asking for it.
    expect(out).toMatch(
      /✎ m\d+: @dave rejected the Security sign-off gate and gave the reason: CVE-2026-1234 is not fixed yet/,
    );
  });

  it('lets /deploy decide answer a failed step, and refuses /rollback, /deploy abort and /deploy decide to people without the permission', async () => {
    world.sandbox.toy('migrate', 'v1.4.0');
    const session = await run(`${START_AND_TICK('v1.4.0')}
@dave react last/gate:security ✅
@bob react last/gate:operations ✅
@carol react last/gate:operations ✅
wait last needs_decision 40s
@dave /deploy decide skip
@dave /rollback
@dave /deploy abort
@carol /deploy decide skip
wait last monitoring 40s
@bob /deploy abort end of test
`);
    expect(session.status, session.stdout.slice(-2000)).toBe(0);
    const out = session.stdout;
    const [id] = startedIds(out);
    expect(out).toMatch(/❌ Step 2 \*?Run the schema migration\*? failed with exit code 1/);
    expect(out).toContain(
      `Decision needed (${id}): step "Run the schema migration" failed with exit code 1.`,
    );
    expect(out).toContain(
      `⚠️ you cannot decide for ${id}: in the toy runbook only Alice Adams (DevOps on-call), Bob Brown (DevOps on-call), Carol Chen (Team lead) may (permissions.decide)`,
    );
    expect(out).toContain(
      `⚠️ you cannot roll back ${id}: in the toy runbook only Alice Adams (DevOps on-call), Bob Brown (DevOps on-call), Carol Chen (Team lead) may (permissions.rollback)`,
    );
    expect(out).toContain(
      `⚠️ you cannot abort ${id}: in the toy runbook only Alice Adams (DevOps on-call), Bob Brown (DevOps on-call), Carol Chen (Team lead) may (permissions.abort)`,
    );
    expect(out).toContain(`${id}: decided skip.`);
    expect(out).toContain(`${id}: deployment aborted.`);
  });

  it('counts an approval given after the bot restarted between the gate request and the approval', async () => {
    // In production the service outlives a restart of the bot: here the toy must not stop with the first bot.
    const text = await readFile(join(world.sandbox.dir, 'runbook.yaml'), 'utf8');
    await writeFile(
      join(world.sandbox.dir, 'runbook.yaml'),
      text.replace('SANDBOX_EXIT_WITH_PARENT: "yes"', 'SANDBOX_EXIT_WITH_PARENT: "no"'),
    );
    onTestFinished(() => writeFile(join(world.sandbox.dir, 'runbook.yaml'), text));
    const first = await run(START_AND_TICK('v1.5.0'));
    expect(first.status, first.stdout.slice(-2000)).toBe(0);
    const [id] = startedIds(first.stdout);
    expect(first.stdout).toContain('Security sign-off gate: 0 of 1 approvals');
    const second = await run(`
@dave react ${id}/gate:security ✅
@bob react ${id}/gate:operations ✅
@carol react ${id}/gate:operations ✅
wait ${id} monitoring 40s
@bob /deploy abort ${id} end of test
`);
    expect(second.status, second.stdout.slice(-2000)).toBe(0);
    expect(second.stdout).toContain('Security sign-off gate approved (1 of 1): @dave');
    expect(second.stdout).toContain('Operations sign-off gate approved (2 of 2): @bob');
    expect(second.stdout).toContain('Deployment authorized at');
  });
});

describe('a gate nobody approves', () => {
  it('reminds its approvers (never the escalation ladder), then expires and fails the deployment', async () => {
    const text = await readFile(join(world.sandbox.dir, 'runbook.yaml'), 'utf8');
    await writeFile(
      join(world.sandbox.dir, 'runbook.yaml'),
      text.replaceAll('expires: 2m', 'expires: 5s').replaceAll('remind_every: 30s', 'remind_every: 2s'),
    );
    try {
      const session = await run(`${START_AND_TICK('v1.6.0')}
wait last failed 30s
`);
      expect(session.status, session.stdout.slice(-2000)).toBe(0);
      const out = session.stdout;
      expect(out).toMatch(/Reminder: the Security sign-off gate has waited 2s for @dave\./);
      // Alice and Bob are L1 on call, not approvers of the Security sign-off gate: no reminder names them.
      expect(out).not.toMatch(/Reminder: the Security sign-off gate[^\n]*@(alice|bob)/);
      expect(out).toContain('Outcome: the Security sign-off gate expired after 5s with 0 of 1 approvals');
      expect(out).toMatch(/⌛ Security sign-off gate expired with 0 of 1 approvals/);
    } finally {
      await writeFile(join(world.sandbox.dir, 'runbook.yaml'), text);
    }
  });
});
