import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/load-runbook.ts';
import { pngSize } from '../helpers/svg-marks.ts';

const node = `${repoRoot}node_modules/.bin/node`;
let home: string;
let blocker: Server | undefined;

/** Holds the sandbox runbook's own port, as a console or another checkout's toy would. */
async function holdRunbookPort(): Promise<void> {
  const text = readFileSync(join(repoRoot, 'examples/sandbox/runbook.yaml'), 'utf8');
  const port = Number(/^\s+SANDBOX_PORT:\s*(\d+)/m.exec(text)?.[1]);
  const server = createServer();
  await new Promise<void>((resolve) => {
    server.once('error', () => resolve()); // already in use: just as good
    server.listen(port, '127.0.0.1', () => {
      blocker = server;
      resolve();
    });
  });
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'preflight-demo-'));
  await holdRunbookPort();
});

afterAll(async () => {
  blocker?.close();
  await rm(home, { recursive: true, force: true });
});

describe('npm run demo', () => {
  it('never empties a folder it did not make: --dir naming a checkout, "" (the current folder) or a file is refused', () => {
    const checkout = join(home, 'checkout');
    mkdirSync(join(checkout, 'src'), { recursive: true });
    writeFileSync(join(checkout, 'package.json'), '{}');
    writeFileSync(join(checkout, 'README.md'), '# mine');
    writeFileSync(join(checkout, 'notes.txt'), 'keep');
    const demo = (dir: string) =>
      spawnSync(node, [join(repoRoot, 'bin/preflight.js'), 'demo', '--dir', dir], {
        cwd: checkout,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1', REDIS_URL: '' },
        timeout: 30_000,
      });
    for (const dir of [checkout, '']) {
      const result = demo(dir);
      expect(result.status).toBe(2);
      expect(result.stderr).toBe(
        `preflight: --dir ${checkout}: holds README.md, notes.txt, package.json and 1 more, which the demo did not write; the demo empties its folder, so name a new or empty folder (or leave --dir out: .preflight/demo)\n`,
      );
    }
    const file = demo(join(checkout, 'notes.txt'));
    expect(file.status).toBe(2);
    expect(file.stderr).toBe(
      `preflight: --dir ${join(checkout, 'notes.txt')}: is not a folder; name a new or empty folder\n`,
    );
    const proc = demo('/proc/preflight-demo');
    expect(proc.status).toBe(2);
    expect(proc.stderr).toBe(
      'preflight: --dir /proc/preflight-demo: cannot create the folder there; name a folder you can write\n',
    );
    expect(readFileSync(join(checkout, 'notes.txt'), 'utf8')).toBe('keep');
    expect(existsSync(join(checkout, 'src'))).toBe(true);
  });

  it('tells the whole story on its own port, stops its toy, and its audit line works when pasted', () => {
    const dir = join(home, '.preflight/demo');
    const env = { ...process.env, NO_COLOR: '1', REDIS_URL: '' };
    const result = spawnSync(node, ['bin/preflight.js', 'demo', '--dir', dir], {
      cwd: repoRoot,
      encoding: 'utf8',
      env,
      timeout: 110_000,
    });
    const out = result.stdout;
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.status, `${out.slice(-3000)}\n${result.stderr}`).toBe(0);
    for (const line of [
      'Starting toy-1: toy v1.2.0 → production',
      'Security sign-off gate: 0 of 1 approvals',
      '→ alice (only you): ⚠️ you requested this deployment, so your approval does not count for the Operations sign-off gate',
      '→ erin (only you): ⚠️ only Dave Diaz (Security) can approve the Security sign-off gate (gates.security.approvers); your approval was not counted',
      'Deployment authorized at',
      'Step 2 Run the schema migration succeeded',
      'Report toy v1.3.0 → production (toy-2): being monitored',
      'INC-1 toy production:',
      'L1 On-call DevOps paged for INC-1: @alice @bob',
      'L2 Team lead paged for INC-1: @carol',
      'INC-1 acknowledged by Carol Chen (Team lead); paging stopped',
      '👀 @carol acknowledged INC-1; paging stops.',
      'toy-2: rollback asked; it needs 1 more approval (see its thread in #deployments).',
      'thread in #deployments',
      'paging stopped (said so in its thread in #incident-response)',
      '→ carol (only you): ⚠️ you asked for the rollback of toy-2, so your approval does not count; it waits for 1 more approval, from Alice Adams (DevOps on-call) or Bob Brown (DevOps on-call): the Approve rollback button or ✅ on the rollback message in its thread, or their own /rollback',
      '→ bob (only you): your approval of the rollback is counted (1 of 1)',
      'Report toy v1.3.0 → production (toy-2): rolled back',
      'Outcome: rolled back to v1.2.0',
      'Audit log: `preflight audit verify toy-2`',
      'Measured: ',
      '🔒 toy production is locked since deployment toy-2 was rolled back (INC-1)',
      '⚠️ toy production is locked since deployment toy-2 was rolled back (INC-1)',
      '🔓 toy production unlocked by Carol Chen (Team lead) after the rollback of toy-2: v1.3.0 is understood',
      'Demo finished in',
    ]) {
      expect(out).toContain(line);
    }
    // The report's timeline picture, written where the demo says.
    const picture = join(dir, 'reports/toy-2-timeline.png');
    expect(out).toContain(`🖼 Timeline picture: ${picture}`);
    expect(out).toContain(`Timeline picture of toy-2: ${picture}`);
    expect(pngSize(readFileSync(picture)).width).toBe(1200);
    expect(out).not.toContain('is in use');
    // Channel and thread references read as plain channel names in the terminal.
    expect(out).not.toContain('#{');
    expect(existsSync(join(dir, 'sandbox/toy.pid')), 'the toy is still running').toBe(false);

    // The report's last line, pasted where the demo ran (here its folder stands in for the checkout).
    const pasted = spawnSync(node, [join(repoRoot, 'bin/preflight.js'), 'audit', 'verify', 'toy-2'], {
      cwd: home,
      encoding: 'utf8',
      env: { ...env, RUNBOOK: join(repoRoot, 'examples/sandbox/runbook.yaml'), LOG_LEVEL: 'silent' },
    });
    expect(pasted.stdout, pasted.stderr).toMatch(/^toy-2: audit log intact: \d+ records/);
    expect(pasted.status).toBe(0);
  }, 150_000);
});
