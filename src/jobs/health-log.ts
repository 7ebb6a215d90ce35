/** The latest health of each deployment's checks, with when each last changed (for posts and triggers). */

import { createKeySpace, type HealthResult } from '../core/index.ts';
import type { RedisClient } from './redis-client.ts';

export interface HealthEntry extends HealthResult {
  /** When the check last changed between passing, failing and unknown. */
  readonly since: number;
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
}

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
        const entry: HealthEntry = { ...kept, since: flipped ? now : (before?.since ?? now), at: now };
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
    async snapshot(deploymentId) {
      const raw = await deps.redis.hgetall(key(deploymentId));
      return Object.values(raw).map((text) => JSON.parse(text) as HealthEntry);
    },
  };
}
