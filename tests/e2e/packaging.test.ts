/**
 * The image and the compose file, checked without a Docker engine: the Dockerfile linted (dockerfile-utils), the
 * compose file validated against the Compose Specification and linted (dclint), and the image's own command
 * sequence run here as a non-root user in a root-owned /app, with the folders and owners the Dockerfile gives.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, matchesGlob } from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { findFreePort } from '../../src/infra/embedded-redis.ts';
import { loadRunbooks } from '../../src/infra/runbook-catalog.ts';
import { repoRoot } from '../helpers/load-runbook.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis-server.ts';

const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
const image = DockerfileParser.parse(dockerfile);
/** The final stage's instructions. */
const all = image.getInstructions();
const final = all.slice(all.findLastIndex((i) => i.getKeyword() === 'FROM'));
const instructions = (keyword: string) => final.filter((i) => i.getKeyword() === keyword);
/** An instruction's flags as written (`--from=deps`, `--chown=node:node`). */
const flagsOf = (i: (typeof all)[number]) =>
  (i as unknown as { getFlags(): { toString(): string }[] }).getFlags().map(String);
const compose = parse(readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<
    string,
    { volumes?: string[]; environment?: Record<string, string>; command?: string[]; healthcheck?: unknown }
  >;
};

describe('the Dockerfile', () => {
  it('passes the Dockerfile linter, and so does the example that adds tools', () => {
    expect(validate(dockerfile)).toEqual([]);
    expect(validate(readFileSync(join(repoRoot, 'examples/docker/Dockerfile'), 'utf8'))).toEqual([]);
  });

  it('copies from the build context only files that exist and that .dockerignore keeps', () => {
    const ignored = readFileSync(join(repoRoot, '.dockerignore'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    // Docker's rule: the last pattern matching a path or one of its parent folders decides; `!` keeps it.
    const dropped = (path: string) => {
      const prefixes = path.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
      let out = false;
      for (const pattern of ignored) {
        const keep = pattern.startsWith('!');
        if (prefixes.some((p) => matchesGlob(p, keep ? pattern.slice(1) : pattern))) out = !keep;
      }
      return out;
    };
    const sources = all
      .filter((i) => i.getKeyword() === 'COPY')
      .filter((i) => !flagsOf(i).some((f) => f.startsWith('--from=')))
      .flatMap((i) =>
        i
          .getArguments()
          .slice(0, -1)
          .map((a) => a.getValue()),
      );
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect(existsSync(join(repoRoot, source)), `COPY ${source}: no such file in the repository`).toBe(true);
      const files = statSync(join(repoRoot, source)).isDirectory()
        ? readdirSync(join(repoRoot, source), { recursive: true }).map((f) => `${source}/${f}`)
        : [source];
      expect(files.filter(dropped), `COPY ${source}: dropped by .dockerignore`).toEqual([]);
    }
  });

  it('runs as a non-root user and takes extra Debian packages as a build argument', () => {
    expect(instructions('USER').at(-1)?.getArgumentsContent()).toBe('node');
    expect(instructions('ARG').map((i) => i.getArgumentsContent())).toContain('EXTRA_PACKAGES=""');
    expect(
      instructions('RUN').some((i) =>
        /apt-get install [^&]*\$\{EXTRA_PACKAGES\}/.test(i.getArgumentsContent() ?? ''),
      ),
    ).toBe(true);
    expect(readFileSync(join(repoRoot, 'examples/docker/Dockerfile'), 'utf8')).toMatch(
      /^FROM preflight:latest$/m,
    );
  });
});

describe('docker-compose.yml', () => {
  it('is valid Compose and passes dclint', () => {
    const run = spawnSync(`${repoRoot}node_modules/.bin/dclint`, ['docker-compose.yml'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(run.stdout + run.stderr).not.toMatch(/error/);
    expect(run.status).toBe(0);
  });

  it('mounts folders that exist, whose runbooks load, so the stack starts cleanly', async () => {
    for (const name of ['bot', 'worker']) {
      const service = compose.services[name];
      const mounts = (service?.volumes ?? []).map((v) => v.split(':'));
      const runbooks = mounts.find(([, target]) => target === '/runbooks')?.[0] ?? '';
      expect(existsSync(join(repoRoot, runbooks)), runbooks).toBe(true);
      const loaded = await loadRunbooks(join(repoRoot, runbooks));
      expect(loaded.map((l) => l.runbook.service)).toContain('toy');
    }
  });

  it('ships the sandbox as its default runbook, run from where the image puts the sandbox', async () => {
    const [toy] = await loadRunbooks(join(repoRoot, 'runbooks/toy.yaml'));
    const [sandbox] = await loadRunbooks(join(repoRoot, 'examples/sandbox/runbook.yaml'));
    const ids = (r: typeof toy) => [
      r?.runbook.steps.map((s) => s.id),
      r?.runbook.checklist?.map((c) => c.id),
    ];
    expect(ids(toy), 'runbooks/toy.yaml is the sandbox runbook with only its workdir changed').toEqual(
      ids(sandbox),
    );
    expect(toy?.runbook.workdir).toBe('/app/examples/sandbox');
    expect(instructions('COPY').map((i) => i.getArgumentsContent())).toContain(
      'examples/sandbox ./examples/sandbox',
    );
  });
});

/** The image's filesystem, as far as Preflight sees it: root-owned /app, and what the Dockerfile creates and owns. */
function buildImageTree(root: string, uid: number, gid: number): string {
  const app = join(root, 'app');
  mkdirSync(app, { recursive: true });
  const inside = (path: string) => join(root, path.replace(/^\/app\/?/, 'app/').replace(/^\//, ''));
  for (const run of instructions('RUN')) {
    const text = run.getArgumentsContent() ?? '';
    for (const [, dirs] of text.matchAll(/mkdir (?:-p )?([^&\\]+)/g))
      for (const dir of dirs?.trim().split(/\s+/) ?? []) mkdirSync(inside(dir), { recursive: true });
    for (const [, dirs] of text.matchAll(/chown node:node ([^&\\]+)/g))
      for (const dir of dirs?.trim().split(/\s+/) ?? []) chownSync(inside(dir), uid, gid);
  }
  for (const copy of instructions('COPY')) {
    const args = copy.getArguments().map((a) => a.getValue());
    const flags = flagsOf(copy);
    const target = args.pop() ?? '';
    if (flags.some((f) => f.startsWith('--from='))) {
      symlinkSync(join(repoRoot, 'node_modules'), join(app, 'node_modules'));
      continue;
    }
    for (const source of args) {
      const to = target.startsWith('/') ? inside(target) : join(app, target.endsWith('/') ? source : target);
      cpSync(join(repoRoot, source), to, { recursive: true });
      if (flags.includes('--chown=node:node')) chownTree(to, uid, gid);
    }
  }
  return app;
}

function chownTree(path: string, uid: number, gid: number): void {
  expect(spawnSync('chown', ['-R', `${uid}:${gid}`, path]).status).toBe(0);
}

const isRoot = process.getuid?.() === 0;

/** The lowest port a plain user may listen on (Linux; 1024 unless the host lowered it). */
function unprivilegedPortStart(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8').trim());
  } catch {
    return 1024;
  }
}

describe.skipIf(!isRoot)('the image’s commands, as its non-root user in a root-owned /app', () => {
  let redis: TestRedis;
  let root: string;
  let app: string;
  const children: ChildProcess[] = [];
  const user = { uid: 65534, gid: 65534 };
  const env = (port: number) => ({
    // The image's `node` is this project's Node 24.
    PATH: `${repoRoot}node_modules/.bin:${process.env.PATH ?? '/usr/bin:/bin'}`,
    HOME: '/tmp',
    ...Object.fromEntries(
      instructions('ENV').flatMap((i) =>
        (i.getArgumentsContent() ?? '').split(/\s+/).map((kv) => {
          // NAME=value, where the value may hold '=' itself (NODE_OPTIONS=--max-semi-space-size=16).
          const at = kv.indexOf('=');
          return [kv.slice(0, at), kv.slice(at + 1)];
        }),
      ),
    ),
    // Compose's interpolation: ${NAME:-default} with nothing set is the default.
    ...Object.fromEntries(
      Object.entries(compose.services.bot?.environment ?? {}).map(([k, v]) => [
        k,
        v.replace(/\$\{\w+:-([^}]*)\}/g, '$1'),
      ]),
    ),
    REDIS_URL: redis.url,
    RUNBOOK: join(root, 'runbooks'),
    PORT: String(port),
  });
  const healthcheck = (port: number) => {
    const content = instructions('HEALTHCHECK')[0]?.getArgumentsContent() ?? '';
    const command = content.replace(/^CMD\s+/, '');
    const args = command.startsWith('[') ? (JSON.parse(command) as string[]) : ['sh', '-c', command];
    return spawnSync(args[0] ?? 'false', args.slice(1), { env: env(port), ...user }).status;
  };
  const launch = async (command: string) => {
    const port = await findFreePort();
    let stderr = '';
    const child = spawn(`${repoRoot}node_modules/.bin/node`, ['bin/preflight.js', command], {
      cwd: app,
      env: env(port),
      stdio: ['ignore', 'ignore', 'pipe'],
      ...user,
    });
    child.stderr?.on('data', (c) => {
      stderr += String(c);
    });
    children.push(child);
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && child.exitCode === null && healthcheck(port) !== 0)
      await new Promise((r) => setTimeout(r, 200));
    return { port, child, stderr: () => stderr };
  };

  beforeAll(async () => {
    redis = await startTestRedis();
    root = await mkdtemp(join(tmpdir(), 'pf-image-'));
    chmodSync(root, 0o755);
    app = buildImageTree(root, user.uid, user.gid);
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(
      children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)),
    );
    await redis?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('start: healthy, one line saying what to set, no stack trace', async () => {
    const bot = await launch('start');
    expect(healthcheck(bot.port)).toBe(0);
    for (let i = 0; i < 50 && !bot.stderr().includes('\n'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(bot.child.exitCode).toBe(null);
    expect(bot.stderr()).toMatch(/^preflight: no chat configured: set SLACK_BOT_TOKEN .*\n$/);
  });

  it.skipIf(unprivilegedPortStart() <= 80)(
    'start on PORT=80 as the non-root user: exit 2, one line naming PORT and what to set',
    () => {
      const run = spawnSync(`${repoRoot}node_modules/.bin/node`, ['bin/preflight.js', 'start'], {
        cwd: app,
        env: { ...env(0), PORT: '80' },
        encoding: 'utf8',
        ...user,
        timeout: 60_000,
      });
      expect(run.status).toBe(2);
      expect(run.stderr).toBe(
        'preflight: PORT 80 is not allowed for this user (ports below 1024 need root, and Preflight runs as a plain user); set PORT to 1024 or above, e.g. 3000\n',
      );
    },
  );

  it('worker: its own health check passes on the worker itself', async () => {
    const worker = await launch('worker');
    expect(healthcheck(worker.port)).toBe(0);
    expect(worker.child.exitCode).toBe(null);
    expect(worker.stderr()).toBe('');
  });

  it('console: writes its log under the data folder the node user owns', () => {
    writeFileSync(join(root, 'script.txt'), '/deploy status\n');
    const run = spawnSync(
      `${repoRoot}node_modules/.bin/node`,
      ['bin/preflight.js', 'console', '--script', join(root, 'script.txt'), '--as', 'alice'],
      { cwd: app, env: env(0), encoding: 'utf8', ...user, timeout: 60_000 },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(existsSync(join(app, '.preflight/logs/preflight.log'))).toBe(true);
  });
});
