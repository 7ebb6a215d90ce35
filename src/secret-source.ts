/** The step variables a runbook requires (`requires.env`), read from the process's environment. */
import { readRequiredEnv } from './config/config.ts';
import type { SecretSource } from './core/index.ts';

export function secretSource(env: Readonly<Record<string, string | undefined>>): SecretSource {
  return {
    missing: (names) => names.filter((n) => env[n] === undefined || env[n] === ''),
    values: (names) => readRequiredEnv(env, names),
  };
}
