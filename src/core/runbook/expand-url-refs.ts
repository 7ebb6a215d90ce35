/**
 * `${NAME}` in a health or trigger URL names a value of the runbook's own `env`, so a port or host is written once
 * (`env: { TOY_PORT: 47801 }`, `url: "http://127.0.0.1:${TOY_PORT}/health"`). Expanded before the schema checks
 * the URL; only the runbook's text decides the result.
 */
import type { DiagnosticPath, PathProblem } from './diagnostic.ts';

const REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

type Json = Record<string, unknown>;

const isMap = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** The places a URL may sit: `[holder path, key of the probe]`. */
function urlHolders(root: Json): { path: DiagnosticPath; holder: Json }[] {
  const out: { path: DiagnosticPath; holder: Json }[] = [];
  const add = (value: unknown, path: DiagnosticPath) => {
    if (isMap(value)) out.push({ path, holder: value });
  };
  const health = root.health;
  if (Array.isArray(health))
    health.forEach((check, i) => {
      if (!isMap(check)) return;
      for (const kind of ['http', 'prometheus', 'alertmanager']) add(check[kind], ['health', i, kind]);
    });
  const rollback = root.rollback;
  const triggers = isMap(rollback) ? rollback.triggers : undefined;
  if (Array.isArray(triggers))
    triggers.forEach((trigger, i) => {
      if (!isMap(trigger)) return;
      for (const kind of ['prometheus', 'alertmanager'])
        add(trigger[kind], ['rollback', 'triggers', i, kind]);
    });
  return out;
}

/** Replaces `${NAME}` in URLs with the runbook's `env` values, in place; names `env` lacks become problems. */
export function expandUrlRefs(value: unknown): PathProblem[] {
  if (!isMap(value)) return [];
  const env = isMap(value.env) ? value.env : {};
  const problems: PathProblem[] = [];
  for (const { path, holder } of urlHolders(value)) {
    const url = holder.url;
    if (typeof url !== 'string' || !url.includes('${')) continue;
    holder.url = url.replace(REF, (whole, name: string) => {
      const found = env[name];
      if (typeof found === 'string' || typeof found === 'number' || typeof found === 'boolean')
        return String(found);
      problems.push({
        path: [...path, 'url'],
        message: `${whole} names no value of the runbook's env; add ${name} under env: (URLs can use only those)`,
      });
      return whole;
    });
  }
  return problems;
}
