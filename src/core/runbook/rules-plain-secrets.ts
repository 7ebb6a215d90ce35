/**
 * Warns about a credential written into an `env:` mapping (the runbook's, an environment's or a command's): it is
 * readable by everyone who can read the runbook, and chat and logs know it only by its shape, not its value. The
 * shapes the redactor masks decide: a credential-named variable (`DB_PASSWORD`, `API_TOKEN`) or a credential-shaped value (a
 * URL with a password, a known token format).
 */
import { createRedactor } from '../redact/redactor.ts';
import type { PathProblem } from './diagnostic.ts';
import type { Runbook } from './schema.ts';

const shapes = createRedactor({});

type Path = (string | number)[];

function collectEnvMappings(value: unknown, path: Path, found: [Path, Record<string, unknown>][]): void {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) collectEnvMappings(item, [...path, i], found);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, inner] of Object.entries(value)) {
    if (key === 'env' && inner !== null && typeof inner === 'object' && !Array.isArray(inner))
      found.push([[...path, key], inner as Record<string, unknown>]);
    else collectEnvMappings(inner, [...path, key], found);
  }
}

/** Every `env:` mapping in the runbook (the runbook's, an environment's, a command's), with where it is. */
export function envMappings(runbook: Runbook): [Path, Record<string, unknown>][] {
  const found: [Path, Record<string, unknown>][] = [];
  collectEnvMappings(runbook, [], found);
  return found;
}

/** One warning per `env:` entry whose value a chat post would mask. */
export function checkPlainSecrets(runbook: Runbook): PathProblem[] {
  const problems: PathProblem[] = [];
  for (const [path, env] of envMappings(runbook))
    for (const [name, value] of Object.entries(env)) {
      const text = `${name}=${String(value)}`;
      if (String(value) === '' || shapes.redact(text) === text) continue;
      problems.push({
        path: [...path, name],
        severity: 'warning',
        atKey: true,
        message: `env ${name} looks like a credential written in the runbook: anyone who can read the file (or its history) can read it, and chat and logs mask it only where it looks like one, not its value alone in a step's output; list ${name} under requires.env and set it in Preflight's environment instead, where its value is masked wherever it appears`,
      });
    }
  return problems;
}
