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

/** Every `env:` mapping in the runbook, with where it is. */
function envMappings(value: unknown, path: Path, found: [Path, Record<string, unknown>][]): void {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) envMappings(item, [...path, i], found);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, inner] of Object.entries(value)) {
    if (key === 'env' && inner !== null && typeof inner === 'object' && !Array.isArray(inner))
      found.push([[...path, key], inner as Record<string, unknown>]);
    else envMappings(inner, [...path, key], found);
  }
}

/** One warning per `env:` entry whose value a chat post would mask. */
export function checkPlainSecrets(runbook: Runbook): PathProblem[] {
  const found: [Path, Record<string, unknown>][] = [];
  envMappings(runbook, [], found);
  const problems: PathProblem[] = [];
  for (const [path, env] of found)
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
