/** The latest health of each deployment's checks, with when each last changed (for posts and triggers). */

import { randomUUID } from 'node:crypto';
import { createKeySpace, type HealthResult } from '../core/index.ts';
import type { RedisClient } from './redis-client.ts';

export interface HealthEntry extends HealthResult {
  /** When the check last changed between passing, failing and unknown. */
  readonly since: number;
  /**
   * While failing, or unknown after failing: when it began failing. An unknown answer (Prometheus not answering)
   * neither passes the check nor restarts its count, as Prometheus keeps an alert pending through a failed evaluation.
   */
  readonly failingSince?: number;
  readonly at: number;
}

export interface HealthLog {
  /** Stores results; calls `onChange` with the checks whose verdict changed (all of them the first time). */
  record(
    deploymentId: string,
    results: readonly HealthResult[],
    onChange: (changed: HealthResult[]) => Promise<void>,
  ): Promise<void>;
  snapshot(deploymentId: string): Promise<HealthEntry[]>;
  saveBaseline(deploymentId: string, trigger: string, value: number): Promise<void>;
  baseline(deploymentId: string, trigger: string): Promise<number | undefined>;
  /** The check states last shown in a monitoring period's health message (undefined: not posted yet). */
  summarySignature(deploymentId: string, window: number): Promise<string | undefined>;
  saveSummarySignature(deploymentId: string, window: number, signature: string): Promise<void>;
  /**
   * Claims the probing of a deployment's check for every process on this Redis, for at most `ttlMs` (a process that
   * dies while probing holds it no longer): a token to release it with, or undefined while another holds it.
   */
  claimProbe(deploymentId: string, check: string, ttlMs: number): Promise<string | undefined>;
  /** Releases a claim, if it is still the one `token` names. */
  releaseProbe(deploymentId: string, check: string, token: string): Promise<void>;
}

/** Deletes a claim only while it is still the caller's. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/** `passing`, `failing` or `unknown` (the probe could not tell). */
export function stateOf(result: Pick<HealthResult, 'passed' | 'unknown'>): 'passing' | 'failing' | 'unknown' {
  return result.passed ? 'passing' : result.unknown ? 'unknown' : 'failing';
}

/** A health log in one Redis hash per deployment. */
export function createHealthLog(deps: { redis: RedisClient; prefix: string; now: () => number }): HealthLog {
  const keys = createKeySpace(deps.prefix);
  const key = keys.health;
  return {
    async record(deploymentId, results, onChange) {
      const previous = await this.snapshot(deploymentId);
      const now = deps.now();
      const changed: HealthResult[] = [];
      const fields: string[] = [];
      for (const result of results) {
        const before = previous.find((p) => p.id === result.id);
        const flipped = !before || stateOf(before) !== stateOf(result);
        if (flipped) changed.push(result);
        // The alerts an alertmanager check saw are for its incident, not its health line: not kept every tick.
        const { alerts: _alerts, ...kept } = result;
        const state = stateOf(result);
        const failingSince =
          state === 'passing'
            ? undefined
            : (before?.failingSince ??
              (before && stateOf(before) === 'failing'
                ? before.since
                : state === 'failing'
                  ? now
                  : undefined));
        const entry: HealthEntry = {
          ...kept,
          since: flipped ? now : (before?.since ?? now),
          at: now,
          ...(failingSince !== undefined && { failingSince }),
        };
        fields.push(result.id, JSON.stringify(entry));
      }
      if (fields.length > 0) await deps.redis.hset(key(deploymentId), ...fields);
      await deps.redis.expire(key(deploymentId), 30 * 86_400);
      if (changed.length > 0) await onChange(changed);
    },
    async saveBaseline(deploymentId, trigger, value) {
      await deps.redis.hset(keys.baseline(deploymentId), trigger, String(value));
      await deps.redis.expire(keys.baseline(deploymentId), 30 * 86_400);
    },
    async baseline(deploymentId, trigger) {
      const raw = await deps.redis.hget(keys.baseline(deploymentId), trigger);
      return raw === null ? undefined : Number(raw);
    },
    async summarySignature(deploymentId, window) {
      return (await deps.redis.hget(keys.healthMessage(deploymentId), String(window))) ?? undefined;
    },
    async saveSummarySignature(deploymentId, window, signature) {
      await deps.redis.hset(keys.healthMessage(deploymentId), String(window), signature);
      await deps.redis.expire(keys.healthMessage(deploymentId), 30 * 86_400);
    },
    async claimProbe(deploymentId, check, ttlMs) {
      const token = randomUUID();
      const set = await deps.redis.set(keys.probing(deploymentId, check), token, 'PX', ttlMs, 'NX');
      return set === 'OK' ? token : undefined;
    },
    async releaseProbe(deploymentId, check, token) {
      await deps.redis.eval(RELEASE, 1, keys.probing(deploymentId, check), token);
    },
    async snapshot(deploymentId) {
      const raw = await deps.redis.hgetall(key(deploymentId));
      return Object.values(raw).map((text) => JSON.parse(text) as HealthEntry);
    },
  };
}
