/** The runbooks Preflight serves (loaded from files) and every version a deployment started with (kept in Redis). */
import { createHash } from 'node:crypto';
import {
  createKeySpace,
  findService,
  formatSameService,
  formatShownDiagnostics,
  type LoadedRunbook,
  parseRunbook,
  type Runbook,
  type RunbookCatalog,
} from '../core/index.ts';
import type { RedisClient } from './redis/redis-connector.ts';
import { listRunbookFiles, loadRunbookFile } from './runbook-files.ts';

export interface RunbookCatalogDeps {
  readonly redis: RedisClient;
  /** Prepended to every key (default `pf:`). */
  readonly prefix?: string;
  readonly files: readonly LoadedRunbook[];
}

/** The digest that pins a runbook: SHA-256 (hex) of its text. */
export function digestRunbook(source: string): string {
  return createHash('sha256').update(source).digest('hex');
}

/** One `FILE:LINE:COL: message` line, with the file it starts with (so a terminal can write that part as given). */
export interface RunbookProblem {
  readonly file: string;
  readonly line: string;
}

/** Runbooks that are invalid: a heading, then one line per problem. */
export class InvalidRunbooksError extends Error {
  readonly heading: string;
  readonly problems: readonly RunbookProblem[];

  constructor(problems: readonly RunbookProblem[]) {
    const heading = problems.length === 1 ? 'a runbook is invalid:' : 'runbooks are invalid:';
    super([heading, ...problems.map((p) => p.line)].join('\n'));
    this.heading = heading;
    this.problems = problems;
  }
}

/** Reads and validates the runbook file, or every runbook in a folder; one service per runbook. */
export async function loadRunbooks(path: string): Promise<LoadedRunbook[]> {
  const loaded: LoadedRunbook[] = [];
  const problems: RunbookProblem[] = [];
  for (const file of await listRunbookFiles(path)) {
    const result = await loadRunbookFile(file);
    if (result.runbook && result.source !== undefined) {
      loaded.push({
        runbook: result.runbook,
        source: result.source,
        digest: digestRunbook(result.source),
        file,
      });
    } else {
      for (const line of formatShownDiagnostics(file, { ...result, warnings: [] }))
        problems.push({ file, line });
    }
  }
  if (problems.length > 0) throw new InvalidRunbooksError(problems);
  const byService = new Map<string, LoadedRunbook>();
  for (const item of loaded) {
    const other = byService.get(item.runbook.service);
    if (other)
      throw new InvalidRunbooksError([
        {
          file: item.file,
          line: formatSameService(item.file, item.source, item.runbook.service, other.file),
        },
      ]);
    byService.set(item.runbook.service, item);
  }
  return loaded;
}

/** Creates the catalog; pinned texts live under `<prefix>runbook:<digest>` and never change. */
export function createRunbookCatalog(deps: RunbookCatalogDeps): RunbookCatalog {
  const { redis } = deps;
  const keys = createKeySpace(deps.prefix ?? 'pf:');
  const byService = new Map(deps.files.map((f) => [f.runbook.service, f] as const));
  const parsed = new Map<string, Runbook>(deps.files.map((f) => [f.digest, f.runbook] as const));

  return {
    current(service) {
      return findService(byService, service);
    },

    services() {
      return [...byService.keys()].sort();
    },

    async pin(loaded) {
      await redis.set(keys.runbook(loaded.digest), loaded.source, 'NX');
      parsed.set(loaded.digest, loaded.runbook);
    },

    async pinned(digest) {
      const cached = parsed.get(digest);
      if (cached) return cached;
      const source = await redis.get(keys.runbook(digest));
      if (source === null)
        throw new Error(`no runbook with digest ${digest} is stored: it was never pinned, or Redis lost it`);
      if (digestRunbook(source) !== digest)
        throw new Error(`the stored runbook ${digest} does not match its digest: it was edited in Redis`);
      const result = parseRunbook(source, `runbook ${digest.slice(0, 12)}`);
      if (!result.runbook)
        throw new Error(
          `the pinned runbook ${digest} no longer validates:\n${formatShownDiagnostics(`runbook ${digest.slice(0, 12)}`, { ...result, warnings: [] }).join('\n')}`,
        );
      parsed.set(digest, result.runbook);
      return result.runbook;
    },
  };
}
