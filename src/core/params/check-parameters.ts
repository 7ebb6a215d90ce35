/** Chat-supplied values (version, environment) are checked before anything uses them. */
import { quoted } from '../chat/outside-text.ts';
import { UserError } from '../errors.ts';
import { defaultEnvironment } from '../plan/build-plan.ts';
import type { Runbook } from '../runbook/schema.ts';
import { didYouMeanAside } from '../runbook/suggest.ts';
import { findEnvironment } from './environment-name.ts';

/** What any version must look like, whatever the runbook says: no spaces, quotes, shell or control characters. */
export const SAFE_VALUE = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/;

/** A value quoted back as typed: every printable character kept (no `?` for ２ or 🚀), control ones replaced. */
function shown(value: string): string {
  const chars = [...value.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '\uFFFD')];
  const text = chars.length > 40 ? `${chars.slice(0, 37).join('')}...` : chars.join('');
  return quoted(text);
}

/** What the person most likely meant, when the value is a valid one in quotes or in look-alike characters. */
function describeTypo(version: string): string {
  const unquoted = version.replace(/^["'`“”‘’„«»]+|["'`“”‘’„«»]+$/gu, '');
  if (unquoted !== version && SAFE_VALUE.test(unquoted))
    return ` has quotes around it (type ${unquoted} without them) and`;
  const plain = version.normalize('NFKC');
  if (plain !== version && SAFE_VALUE.test(plain))
    return ` has full-width or look-alike characters (type ${plain}) and`;
  return '';
}

/** Checks a version against the safe alphabet and the runbook's `parameters.version.pattern`. */
export function checkVersion(runbook: Pick<Runbook, 'parameters'>, version: string): UserError | undefined {
  const param = runbook.parameters?.version;
  const example = param?.example ? ` (e.g. ${param.example})` : '';
  if (!SAFE_VALUE.test(version)) {
    return new UserError(
      'BAD_PARAMETER',
      `${shown(version)}${describeTypo(version)} is not a valid version: use letters, digits, ".", "_", "+" and "-" (at most 128)${example}`,
    );
  }
  if (param && !new RegExp(`^(?:${param.pattern})$`).test(version)) {
    return new UserError(
      'BAD_PARAMETER',
      `${shown(version)} does not match this runbook's version pattern ${param.pattern}${example}`,
    );
  }
  return undefined;
}

/** Resolves the environment a person named (whatever its case; the default when omitted), or explains the choices. */
export function resolveEnvironment(
  runbook: Pick<Runbook, 'environments'>,
  requested: string | undefined,
): string | UserError {
  const names = Object.keys(runbook.environments);
  if (requested === undefined) {
    const fallback = defaultEnvironment(runbook);
    return fallback ?? new UserError('UNKNOWN_ENVIRONMENT', `name an environment: ${names.join(', ')}`);
  }
  const found = findEnvironment(runbook, requested);
  if (found !== undefined) return found;
  return new UserError(
    'UNKNOWN_ENVIRONMENT',
    `unknown environment ${shown(requested)}${didYouMeanAside(requested, names)}; this runbook deploys to ${names.join(', ')}`,
  );
}
