/**
 * Names a runbook may not give its variables: PREFLIGHT_* (the values Preflight gives every step, which replace any
 * other), and, under `requires.env`, Preflight's own credentials and Redis, which steps never get (design.md §5).
 */
import type { PathProblem } from './diagnostic.ts';
import { PREFLIGHT_CREDENTIALS } from './preflight-credentials.ts';
import { envMappings } from './rules-plain-secrets.ts';
import type { Runbook } from './schema.ts';

const NOT_FOR_STEPS: Readonly<Record<string, string>> = {
  ...PREFLIGHT_CREDENTIALS,
  REDIS_URL: "the address, and any password, of Preflight's own Redis",
};

function reservedName(name: string): string | undefined {
  return name.startsWith('PREFLIGHT_')
    ? `${name} starts with PREFLIGHT_, and those names are kept for the values Preflight gives every step (PREFLIGHT_VERSION, PREFLIGHT_DEPLOYMENT_ID, …), which replace any other value; name the variable without the PREFLIGHT_ prefix`
    : undefined;
}

/** One error per variable name a runbook cannot use. */
export function checkEnvNames(runbook: Runbook): PathProblem[] {
  const problems: PathProblem[] = [];
  for (const [i, name] of (runbook.requires?.env ?? []).entries()) {
    const what = NOT_FOR_STEPS[name];
    const message =
      reservedName(name) ??
      (what &&
        `${name} is Preflight's own variable (${what}), and steps never get the bot's credentials; set what the step needs under another name in Preflight's environment (e.g. DEPLOY_${name}) and list that`);
    if (message) problems.push({ path: ['requires', 'env', i], message });
  }
  for (const [path, env] of envMappings(runbook))
    for (const name of Object.keys(env)) {
      const message = reservedName(name);
      if (message) problems.push({ path: [...path, name], atKey: true, message });
    }
  return problems;
}
