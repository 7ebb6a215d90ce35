import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeySpace } from '../../src/core/index.ts';
import { createRunbookCatalog, digestRunbook, loadRunbooks } from '../../src/infra/runbook-catalog.ts';
import { repoRoot } from '../helpers/load-runbook.ts';
import { createTestPrefix, startTestRedis, type TestRedis } from '../helpers/redis-server.ts';

const MINIMAL = readFileSync(join(repoRoot, 'tests/fixtures/valid/minimal.yaml'), 'utf8');
const SPARKLE = MINIMAL.replace('service: shop', 'service: sparkle');

let server: TestRedis;
let redis: Redis;
let dir: string;

async function folder(name: string, files: Record<string, string>): Promise<string> {
  const path = join(dir, name);
  await mkdir(path, { recursive: true });
  for (const [file, text] of Object.entries(files)) await writeFile(join(path, file), text);
  return path;
}

beforeAll(async () => {
  server = await startTestRedis();
  redis = new Redis(server.url);
  dir = await mkdtemp(join(tmpdir(), 'preflight-catalog-'));
});

afterAll(async () => {
  redis.disconnect();
  await server.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('loadRunbooks', () => {
  it('loads every runbook of a folder, with the SHA-256 of its text', async () => {
    const loaded = await loadRunbooks(await folder('two', { 'shop.yaml': MINIMAL, 'sparkle.yml': SPARKLE }));
    expect(loaded.map((l) => l.runbook.service)).toEqual(['shop', 'sparkle']);
    expect(loaded[0]?.digest).toBe(digestRunbook(MINIMAL));
    expect(loaded[0]?.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(loaded[1]?.source).toBe(SPARKLE);
    expect(loaded[1]?.file).toBe(join(dir, 'two', 'sparkle.yml'));
  });

  it('refuses two runbooks for one service, naming both files and the line of the second one', async () => {
    const path = await folder('dup', { 'a.yaml': MINIMAL, 'b.yaml': MINIMAL });
    await expect(loadRunbooks(path)).rejects.toThrow(
      `${join(path, 'b.yaml')}:2:1: service "shop" is also the service of ${join(path, 'a.yaml')}; Preflight runs one runbook per service, so keep one of them (or give this one its own service)`,
    );
  });

  it('lists every error as FILE:LINE:COL: message', async () => {
    const path = await folder('bad', {
      'shop.yaml': MINIMAL,
      'x.yaml': MINIMAL.replace('timezone:', 'timzone:'),
    });
    const error = await loadRunbooks(path).then(
      () => new Error('expected a rejection'),
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error.message.split('\n')[1]).toMatch(new RegExp(`^${join(path, 'x.yaml')}:3:1: `));
  });
});

describe('RunbookCatalog', () => {
  it('serves the current runbooks and finds a pinned one after a restart', async () => {
    const prefix = createTestPrefix();
    const files = await loadRunbooks(await folder('pin', { 'shop.yaml': MINIMAL, 'sparkle.yaml': SPARKLE }));
    const catalog = createRunbookCatalog({ redis, prefix, files });
    expect(catalog.services()).toEqual(['shop', 'sparkle']);
    const shop = catalog.current('shop');
    expect(shop?.runbook.service).toBe('shop');
    expect(catalog.current('nope')).toBeUndefined();
    if (!shop) throw new Error('no shop runbook');
    await catalog.pin(shop);
    await catalog.pin(shop);
    expect(await redis.get(createKeySpace(prefix).runbook(shop.digest))).toBe(MINIMAL);

    // A new process whose files have moved on still runs old deployments with the text they started with.
    const edited = await loadRunbooks(await folder('pin2', { 'shop.yaml': `${MINIMAL}\n# edited\n` }));
    const restarted = createRunbookCatalog({ redis, prefix, files: edited });
    expect(restarted.current('shop')?.digest).not.toBe(shop.digest);
    expect(await restarted.pinned(shop.digest)).toEqual(shop.runbook);
    await expect(restarted.pinned('0'.repeat(64))).rejects.toThrow(/no runbook with digest 0{64} is stored/);
  });
});

describe('RUNBOOK=<folder>', () => {
  it('loads the runbooks of a folder and leaves its other YAML files (alert rules) alone', async () => {
    const loaded = await loadRunbooks(join(repoRoot, 'examples/sandbox'));
    expect(loaded.map((l) => [l.runbook.service, l.file.split('/').pop()])).toEqual([
      ['toy', 'runbook.yaml'],
    ]);
  });
});
