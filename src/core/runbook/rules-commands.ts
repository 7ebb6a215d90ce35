/** Semantic rules for everything that runs or probes: one kind per entry, sane retries, valid patterns. */
import type { DiagnosticPath, PathProblem } from './diagnostic.ts';
import type { Runbook } from './schema.ts';

interface CommandLike {
  readonly run?: string | undefined;
  readonly argv?: readonly string[] | undefined;
  readonly expect?: { readonly matches?: string | undefined } | undefined;
}

function checkRegex(pattern: string | undefined, path: DiagnosticPath): PathProblem[] {
  if (pattern === undefined) return [];
  try {
    new RegExp(pattern);
    return [];
  } catch (error) {
    // V8 says "Invalid regular expression: /<pattern>/<flags>: <reason>"; the pattern is right there in the file.
    const reason = (error as Error).message.split(': ').at(-1) ?? 'invalid';
    return [
      {
        path,
        message: `not a valid regular expression: ${reason.charAt(0).toLowerCase()}${reason.slice(1)}`,
      },
    ];
  }
}

/**
 * `what` names the command's owner in messages, e.g. `step "deploy"`; commands that may be empty pass
 * `undefined`.
 */
function checkCommand(cmd: CommandLike, path: DiagnosticPath, what: string | undefined): PathProblem[] {
  const problems: PathProblem[] = [];
  if (cmd.run !== undefined && cmd.argv !== undefined) {
    problems.push({
      path: [...path, 'argv'],
      atKey: true,
      message: 'give either "run" (a bash script) or "argv" (a program and its arguments), not both',
    });
  } else if (what !== undefined && cmd.run === undefined && cmd.argv === undefined) {
    problems.push({
      path,
      message: `${what} has nothing to run; add "run" (a bash script) or "argv" (a program and its arguments)`,
    });
  }
  problems.push(...checkRegex(cmd.expect?.matches, [...path, 'expect', 'matches']));
  return problems;
}

function checkVerify(
  verify: string | CommandLike | undefined,
  path: DiagnosticPath,
  owner: string,
): PathProblem[] {
  if (verify === undefined || typeof verify === 'string') return [];
  return checkCommand(verify, [...path, 'verify'], `the verify of ${owner}`);
}

function checkRetries(
  step: { retries?: number | undefined; idempotent?: boolean | undefined },
  path: DiagnosticPath,
) {
  if ((step.retries ?? 0) > 0 && step.idempotent !== true) {
    return [
      {
        path: [...path, 'retries'],
        message:
          'retries need "idempotent: true": a step that is not idempotent is never re-run automatically; add idempotent: true if re-running it is safe, or remove retries',
      },
    ];
  }
  return [];
}

function checkHealth(runbook: Runbook): PathProblem[] {
  return (runbook.health ?? []).flatMap((check, i) => {
    const kinds = (['http', 'prometheus', 'alertmanager', 'run', 'argv'] as const).filter(
      (k) => check[k] !== undefined,
    );
    const path = ['health', i];
    if (kinds.length === 0)
      return [
        { path, message: `health check "${check.id}" needs one of http, prometheus, alertmanager or run` },
      ];
    const probes = kinds.filter((k) => k !== 'argv' && k !== 'run');
    if (probes.length + (kinds.includes('run') || kinds.includes('argv') ? 1 : 0) > 1) {
      return [
        {
          path: [...path, kinds[1] ?? 'id'],
          atKey: true,
          message: `health check "${check.id}" has ${kinds.join(' and ')}; give exactly one kind of check`,
        },
      ];
    }
    return [
      ...checkCommand(check, path, undefined),
      ...checkRegex(check.expect?.matches, [...path, 'expect', 'matches']),
    ];
  });
}

function checkTriggers(runbook: Runbook): PathProblem[] {
  return (runbook.rollback?.triggers ?? []).flatMap((trigger, i) => {
    const path = ['rollback', 'triggers', i];
    const kinds = (['health', 'prometheus', 'alertmanager', 'manual'] as const).filter(
      (k) => trigger[k] !== undefined,
    );
    if (kinds.length !== 1) {
      return [
        {
          path,
          message: `trigger "${trigger.id}" needs exactly one of health, prometheus, alertmanager or manual${kinds.length > 1 ? ` (found ${kinds.join(', ')})` : ''}`,
        },
      ];
    }
    const problems: PathProblem[] = [];
    if (trigger.failing_for !== undefined && trigger.health === undefined) {
      problems.push({
        path: [...path, 'failing_for'],
        atKey: true,
        message: '"failing_for" applies to health triggers only',
      });
    }
    if (trigger.prometheus !== undefined && trigger.worse_than_baseline === undefined) {
      problems.push({
        path: [...path, 'prometheus'],
        atKey: true,
        message: 'a prometheus trigger needs "worse_than_baseline", e.g. 50%',
      });
    }
    if (trigger.worse_than_baseline !== undefined && trigger.prometheus === undefined) {
      problems.push({
        path: [...path, 'worse_than_baseline'],
        atKey: true,
        message: '"worse_than_baseline" applies to prometheus triggers only',
      });
    }
    if (trigger.min_baseline !== undefined && trigger.worse_than_baseline === undefined) {
      problems.push({
        path: [...path, 'min_baseline'],
        atKey: true,
        message: '"min_baseline" applies to worse_than_baseline triggers only',
      });
    }
    if (trigger.min !== undefined && trigger.alertmanager === undefined) {
      problems.push({
        path: [...path, 'min'],
        atKey: true,
        message: '"min" applies to alertmanager triggers only',
      });
    }
    return problems;
  });
}

/** Commands, checks and triggers are well-formed. */
export function checkCommands(runbook: Runbook): PathProblem[] {
  const problems: PathProblem[] = [];
  runbook.checklist?.forEach((item, i) => {
    const path = ['checklist', i];
    problems.push(...checkCommand(item, path, undefined));
    const automated = item.run !== undefined || item.argv !== undefined;
    if (!automated && item.owner === undefined) {
      problems.push({
        path,
        message: `checklist item "${item.id}" needs an "owner" who ticks it, or a "run" command that checks it`,
      });
    }
    if (!automated && item.expect !== undefined) {
      problems.push({
        path: [...path, 'expect'],
        atKey: true,
        message: '"expect" needs a "run" or "argv" command to check',
      });
    }
  });
  runbook.steps.forEach((step, i) => {
    const path = ['steps', i];
    problems.push(
      ...checkCommand(step, path, `step "${step.id}"`),
      ...checkVerify(step.verify, path, `step "${step.id}"`),
      ...checkRetries(step, path),
    );
  });
  runbook.rollback?.steps.forEach((step, i) => {
    const path = ['rollback', 'steps', i];
    problems.push(
      ...checkCommand(step, path, `rollback step "${step.id}"`),
      ...checkVerify(step.verify, path, `rollback step "${step.id}"`),
      ...checkRetries(step, path),
    );
  });
  for (const kind of ['stop', 'logs'] as const) {
    const cmd = runbook.emergency?.[kind];
    if (cmd) problems.push(...checkCommand(cmd, ['emergency', kind], `emergency.${kind}`));
  }
  const version = runbook.parameters?.version;
  if (version) problems.push(...checkRegex(version.pattern, ['parameters', 'version', 'pattern']));
  return [...problems, ...checkHealth(runbook), ...checkTriggers(runbook)];
}
