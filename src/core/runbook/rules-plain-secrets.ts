/**
 * Warns about a credential written into an `env:` mapping (the runbook's, an environment's or a command's) or into a
 * command (`run`, `verify`, `argv`): it is
 * readable by everyone who can read the runbook, and chat and logs know it only by its shape, not its value. The
 * shapes the redactor masks decide: a credential-named variable (`DB_PASSWORD`, `API_TOKEN`) or a credential-shaped value (a
 * URL with a password, a known token format).
 */
import { escapeRegExp } from '../redact/encoded-forms.ts';
import { REDACTED } from '../redact/redaction-marker.ts';
import { createRedactor } from '../redact/redactor.ts';
import type { PathProblem } from './diagnostic.ts';
import type { Runbook } from './schema.ts';

const shapes = createRedactor({});

type Path = (string | number)[];

/**
 * Walks every mapping entry of the runbook; `take` returns true for an entry it keeps, which is not walked into.
 */
function walkEntries(
  value: unknown,
  path: Path,
  take: (key: string, inner: unknown, at: Path) => boolean,
): void {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) walkEntries(item, [...path, i], take);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, inner] of Object.entries(value))
    if (!take(key, inner, [...path, key])) walkEntries(inner, [...path, key], take);
}

/** Every `env:` mapping in the runbook (the runbook's, an environment's, a command's), with where it is. */
export function envMappings(runbook: Runbook): [Path, Record<string, unknown>][] {
  const found: [Path, Record<string, unknown>][] = [];
  walkEntries(runbook, [], (key, inner, at) => {
    const mapping = key === 'env' && inner !== null && typeof inner === 'object' && !Array.isArray(inner);
    if (mapping) found.push([at, inner as Record<string, unknown>]);
    return mapping;
  });
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

/** Every command text in the runbook (`run` and `verify` scripts, `argv` lists joined), with where it is. */
function commandTexts(runbook: Runbook): [Path, string][] {
  const found: [Path, string][] = [];
  walkEntries(runbook, [], (key, inner, at) => {
    if ((key === 'run' || key === 'verify') && typeof inner === 'string') found.push([at, inner]);
    else if (key === 'argv' && Array.isArray(inner)) found.push([at, inner.join(' ')]);
    else return key === 'env';
    return true;
  });
  return found;
}

const VARIABLE = /^["']?\$\{?[A-Za-z_][A-Za-z0-9_]*\}?["']?$/;

/** A shell variable where a credential goes (`https://app:$DB_PASSWORD@db`) is how it should be written. */
function onlyVariablesMasked(text: string, masked: string): boolean {
  const pattern = new RegExp(`^${masked.split(REDACTED).map(escapeRegExp).join('([^]*?)')}$`);
  return (
    pattern
      .exec(text)
      ?.slice(1)
      .every((part) => VARIABLE.test(part)) ?? false
  );
}

/** One warning per command whose text a chat post would mask, except where only shell variables are masked. */
export function checkCommandSecrets(runbook: Runbook): PathProblem[] {
  return commandTexts(runbook).flatMap(([path, text]) => {
    const masked = shapes.redact(text);
    if (masked === text || onlyVariablesMasked(text, masked)) return [];
    return [
      {
        path,
        severity: 'warning' as const,
        message: `this command holds what looks like a credential written out; anyone who can read the runbook can read it: list a variable under requires.env, set it in Preflight's environment and use it in the command ("$NAME")`,
      },
    ];
  });
}
