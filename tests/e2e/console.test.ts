import { describe, expect, it } from 'vitest';
import { useRedisSandbox } from '../helpers/redis-sandbox.ts';
import { runConsoleSession } from '../helpers/run-console.ts';

const world = useRedisSandbox();

const runConsole = (script: string, ...args: string[]) =>
  runConsoleSession({ redisUrl: world.redis.url, dir: world.sandbox.dir }, script, ...args);

/** The blocks of a transcript: a line that starts with a time, and the indented lines under it. */
function blocks(transcript: string): string[] {
  return transcript.split(/\n(?=\d\d:\d\d:\d\d |\n|# )/).map((b) => b.trim());
}

const DEPLOY = `
# Alice starts the deployment of toy v1.3.0
@alice /deploy start toy v1.3.0
# The owners tick the manual checklist items
@bob react last/checklist-item:release-notes ✅
@dave react last/checklist-item:security-scan :white_check_mark:
@carol click last/checklist-item:support-told done
# Dave signs off on security; Bob and Carol on operations
@dave react last/gate:security ✅
@bob react last/gate:operations ✅
@carol click last/gate:operations approve
wait last monitoring 60s
@alice /deploy status
`;

const REFUSALS = `
# Alice asks for a staging deployment; the owners tick their items
@alice /deploy start toy v1.3.1 staging
@bob react last/checklist-item:release-notes ✅
@dave react last/checklist-item:security-scan ✅
@carol react last/checklist-item:support-told ✅
# Erin is not a security approver: each ✅ of hers is refused, to her only
@erin react last/gate:security ✅
@erin unreact last/gate:security ✅
@erin react last/gate:security ✅
# Alice asked for this deployment, so her ✅ does not count
@alice react last/gate:operations ✅
# Dave may not deploy; Bob mistypes
@dave /deploy start toy v1.3.1 staging
@bob /deploy frobnicate
@bob /deploy start toy
`;

describe('preflight console (a real process, script on stdin)', () => {
  it('deploys toy v1.3.0 end to end in one thread, then exits 0 when the input ends', async () => {
    const run = await runConsole(DEPLOY);
    const out = run.stdout;
    expect(run.stderr).toBe('');
    expect(run.status, out).toBe(0);
    expect(run.exitAfterInputMs).toBeLessThan(60_000);

    // The script is echoed, with narration.
    expect(out).toMatch(
      /^\n# Alice starts the deployment of toy v1\.3\.0\n\d\d:\d\d:\d\d @alice › \/deploy start toy v1\.3\.0\n/,
    );
    expect(out).toMatch(
      /\d\d:\d\d:\d\d → alice \(only you\): Starting toy-1: toy v1\.3\.0 → production\. Follow it in #deployments\./,
    );
    expect(out).toMatch(/\d\d:\d\d:\d\d › wait last monitoring 60s\n/);

    // One thread: the status message, and everything else in its thread.
    const all = blocks(out);
    const status = all.find((b) =>
      /#deployments \[m\d+\] preflight\n {4}📋 toy v1\.3\.0 → production \(toy-1\)/.test(b),
    );
    expect(status, out).toBeDefined();
    const root = /\[(m\d+)\]/.exec(status ?? '')?.[1] ?? '';
    const posts = all.filter((b) => /^\d\d:\d\d:\d\d #deployments/.test(b) && /\[m\d+\] preflight/.test(b));
    expect(posts.filter((b) => !b.includes(`› ${root} [`))).toEqual([status]);
    expect(out).toContain(`✎ ${root}`); // the status block is edited in place

    // Gate messages mention their approvers; approvals are counted.
    const gate = (title: string) =>
      all.find((b) => b.includes(`› ${root} [`) && b.includes(`🔐 ${title} gate: 0 of`)) ?? '';
    expect(gate('Security sign-off')).toContain('@dave: react ✅ to approve or ❌ to reject');
    expect(gate('Security sign-off')).toMatch(/\[Approve\] \[Reject\] {2}\(type: click m\d+ approve\)/);
    expect(gate('Operations sign-off')).toContain('0 of 2 approvals');
    expect(gate('Operations sign-off')).toContain(
      '@bob @carol: react ✅ to approve or ❌ to reject (Alice Adams (DevOps on-call) requested this deployment, so their approval does not count).',
    );
    expect(out).toMatch(/Security sign-off gate approved \(1 of 1\): @dave at \d\d:\d\d:\d\d UTC/);
    expect(out).toMatch(/→ carol \(only you\): Operations sign-off gate approved \(2 of 2\)/);
    expect(out).toMatch(
      /Operations sign-off gate approved \(2 of 2\): @bob at [\d:]+ UTC, @carol at [\d:]+ UTC/,
    );
    expect(out).toContain('🖋️ Deployment authorized at');

    // Step results, health, the report.
    for (const step of [
      '1 Back up the database',
      '2 Run the schema migration',
      '3 Deploy the new version',
      '4 Smoke-test the new version',
    ])
      expect(out).toMatch(new RegExp(`✅ Step ${step} succeeded in [\\d.]+s`));
    expect(out).toContain('│ toy: deployed v1.3.0 (previous v1.0.0)');
    expect(out).toContain('🩺 Post-deploy health checks pass: toy-health ok');
    const report =
      all.find((b) => b.includes('👀 Report toy v1.3.0 → production (toy-1): being monitored')) ?? '';
    expect(report, out).toContain(`› ${root} [`);
    expect(report).toContain(
      'Approved by: Security sign-off: Dave Diaz (Security); Operations sign-off: Bob Brown (DevOps on-call), Carol Chen (Team lead)',
    );
    expect(report).toMatch(/4\. Smoke-test the new version: succeeded [\d.]+s planned \+6s/);
    expect(out).toMatch(/→ alice \(only you\)\n {4}toy-1: toy v1\.3\.0 → production, being monitored/);
    // The toy runs v1.3.0, and stopped with the console that started it (its checklist did).
    await expect
      .poll(() => world.sandbox.toy('status'), { timeout: 5_000 })
      .toMatch(/^toy: stopped, version v1\.3\.0/);
  }, 120_000);

  it('refuses, in the transcript, what people may not do', async () => {
    const run = await runConsole(REFUSALS);
    const out = run.stdout;
    expect(run.stderr).toBe('');
    expect(run.status, out).toBe(0);
    expect(out).toContain('Starting toy-2: toy v1.3.1 → staging.');

    // Refused reactions are answered to the person only, once per reaction, never as a public post.
    const notApprover =
      '→ erin (only you): ⚠️ only Dave Diaz (Security) can approve the Security sign-off gate (gates.security.approvers); your approval was not counted';
    expect(out.split(notApprover).length - 1, out).toBe(2);
    expect(out).not.toMatch(/preflight: @erin only Dave Diaz/);
    expect(out).toContain(
      '→ alice (only you): ⚠️ you requested this deployment, so your approval does not count for the Operations sign-off gate (ask Bob Brown (DevOps on-call) or Carol Chen (Team lead))',
    );
    expect(out).toContain(
      '→ dave (only you): ⚠️ you cannot deploy toy: in the toy runbook only Alice Adams (DevOps on-call), Bob Brown (DevOps on-call), Carol Chen (Team lead) may (permissions.deploy)',
    );
    expect(out).toContain(
      '→ bob (only you): ⚠️ unknown command "/deploy frobnicate"; /deploy has: start, status, plan, abort, pause, resume, decide, history, lock, unlock, help (/deploy help lists every command)',
    );
    expect(out).toContain(
      '→ bob (only you): ⚠️ missing <version>. Usage: /deploy start <service> <version> [<environment>]',
    );
  }, 120_000);

  it('redacts a credential in a note, in a command it refuses and in the line it cannot read (which ends the script)', async () => {
    const run = await runConsole(`# the new db password is NoteS3cret42
@alice /deploy start toy v1.3.0 token=ArgS3cret42
@alice hello Cookie: sid=LineS3cret42
`);
    const out = run.stdout + run.stderr;
    expect(out).not.toContain('S3cret42');
    expect(out).toContain('# the new db password is [REDACTED]');
    expect(out).toContain('✗ cannot read "hello Cookie: sid=[REDACTED]": after @alice comes a /command');
    expect(out).toContain('@alice › /deploy start toy v1.3.0 token=[REDACTED]');
  }, 120_000);

  it('refuses --as for someone who is not a person of the runbook, in one line', async () => {
    const run = await runConsole('/deploy status\n', '--as', 'zed');
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'preflight: --as zed: not a person of the runbook (people: alice, bob, carol, dave, erin)\n',
    );
  });

  it('says an empty --as or --script is empty, naming what to give', async () => {
    const as = await runConsole('/deploy status\n', '--as', '');
    expect(as.status).toBe(2);
    expect(as.stderr).toBe(
      'preflight: --as is empty: name a person of the runbook (people: alice, bob, carol, dave, erin)\n',
    );
    const script = await runConsole('', '--as', 'alice', '--script', '');
    expect(script.status).toBe(2);
    expect(script.stderr).toBe(
      'preflight: --script is empty: give a file of console lines (e.g. examples/sandbox/demo-script.txt)\n',
    );
  });
});
