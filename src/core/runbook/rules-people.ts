/** Semantic rules for who does what: gates someone can approve, escalation levels someone answers. */
import { countOf } from '../count-words.ts';
import type { PathProblem } from './diagnostic.ts';
import { isPersonOrGroup, resolvePeople } from './people.ts';
import type { Runbook } from './schema.ts';

/**
 * Why refs that all exist resolve to nobody (their groups are empty); `undefined` when some ref is unknown,
 * because the unknown ref is the problem to report, not its consequence.
 */
function explainNobody(runbook: Runbook, refs: readonly string[]): string | undefined {
  if (!refs.every((ref) => isPersonOrGroup(runbook, ref))) return undefined;
  const empty = refs.filter((ref) => resolvePeople(runbook, [ref]).length === 0);
  const noun =
    empty.length === 1 ? `group "${empty[0]}" holds` : `groups ${empty.map((g) => `"${g}"`).join(', ')} hold`;
  return `${noun} no people; add people to ${empty.length === 1 ? 'it' : 'them'}`;
}

function checkGates(runbook: Runbook): PathProblem[] {
  const problems: PathProblem[] = [];
  const needed = new Set(runbook.steps.flatMap((s) => s.needs ?? []));
  if (runbook.window?.override_gate) needed.add(runbook.window.override_gate);
  const deployers = new Set(resolvePeople(runbook, runbook.permissions.deploy));
  for (const [id, gate] of Object.entries(runbook.gates ?? {})) {
    const people = resolvePeople(runbook, gate.approvers);
    const required = gate.required ?? 1;
    if (people.length === 0) {
      const why = explainNobody(runbook, gate.approvers);
      if (why !== undefined)
        problems.push({
          path: ['gates', id, 'approvers'],
          message: `nobody can approve gate "${id}", as ${why}`,
        });
    } else if (required > people.length) {
      problems.push({
        path: ['gates', id, 'required'],
        message: `gate "${id}" requires ${required} approvals but only ${people.length} ${people.length === 1 ? 'person' : 'people'} can approve it (${people.join(', ')})`,
      });
    } else if (
      gate.allow_self !== true &&
      people.length === required &&
      people.some((p) => deployers.has(p))
    ) {
      problems.push({
        path: ['gates', id, 'required'],
        severity: 'warning',
        message: `gate "${id}" needs every approver (${required} of ${people.length}); if one of them requests the deployment it cannot pass`,
      });
    }
    if (!needed.has(id)) {
      problems.push({
        path: ['gates', id],
        atKey: true,
        severity: 'warning',
        message: `gate "${id}" is not needed by any step, so nothing waits for it; list it in a step's "needs", or remove it`,
      });
    }
    if (gate.expires !== undefined && gate.remind_every !== undefined && gate.remind_every >= gate.expires) {
      problems.push({
        path: ['gates', id, 'remind_every'],
        severity: 'warning',
        message: `gate "${id}" expires before its first reminder`,
      });
    }
  }
  const approval = runbook.rollback?.approval;
  const approvers = resolvePeople(runbook, approval?.approvers);
  const known = approval?.approvers.every((ref) => isPersonOrGroup(runbook, ref)) ?? false;
  if (approval && known && (approval.required ?? 1) > approvers.length) {
    problems.push({
      path:
        approval.required === undefined
          ? ['rollback', 'approval', 'approvers']
          : ['rollback', 'approval', 'required'],
      message: `the rollback approval requires ${countOf(approval.required ?? 1, 'approval')} but only ${approvers.length} ${approvers.length === 1 ? 'person' : 'people'} can give one`,
    });
  }
  return problems;
}

function checkEscalation(runbook: Runbook): PathProblem[] {
  const problems: PathProblem[] = [];
  runbook.escalation.levels.forEach((level, i) => {
    const path = ['escalation', 'levels', i];
    const people = resolvePeople(runbook, level.notify);
    const why = people.length === 0 ? explainNobody(runbook, level.notify) : undefined;
    if (why !== undefined) {
      problems.push({
        path: [...path, 'notify'],
        message: `escalation level "${level.id}" pages nobody: ${why}`,
      });
    }
    const via = level.via ?? ['mention'];
    for (const person of people) {
      const p = runbook.people[person];
      if (via.includes('pagerduty') && !p?.pagerduty) {
        problems.push({
          path: [...path, 'via'],
          severity: 'warning',
          message: `${person} has no pagerduty id; the PagerDuty page for level "${level.id}" will not name them`,
        });
      }
      if ((via.includes('mention') || via.includes('dm')) && !p?.slack && !p?.discord) {
        problems.push({
          path: [...path, 'notify'],
          severity: 'warning',
          message: `${person} has no slack or discord id, so level "${level.id}" cannot mention them in chat`,
        });
      }
    }
  });
  return problems;
}

function checkEnvironments(runbook: Runbook): PathProblem[] {
  const names = Object.keys(runbook.environments);
  if (names.length === 0)
    return [
      {
        path: ['environments'],
        message: 'declare at least one environment, e.g. production: { default: true }',
      },
    ];
  const seen = new Map<string, string>();
  for (const name of names) {
    const earlier = seen.get(name.toLowerCase());
    if (earlier !== undefined)
      return [
        {
          path: ['environments', name],
          message: `environments "${earlier}" and "${name}" differ only in case; people type environment names in any case, so name them apart`,
        },
      ];
    seen.set(name.toLowerCase(), name);
  }
  const defaults = names.filter((n) => runbook.environments[n]?.default === true);
  if (defaults.length > 1) {
    return [
      {
        path: ['environments', defaults[1] ?? '', 'default'],
        message: `only one environment can be the default (${defaults.join(' and ')} both say default: true)`,
      },
    ];
  }
  if (defaults.length === 0 && names.length > 1) {
    return [
      {
        path: ['environments'],
        message: `mark one environment "default: true" so /deploy start without an environment knows where to go (${names.join(', ')})`,
      },
    ];
  }
  return [];
}

/** Each chat account belongs to one person: a shared id would make two people one approver, silently. */
function checkChatIds(runbook: Runbook): PathProblem[] {
  const problems: PathProblem[] = [];
  for (const platform of ['slack', 'discord'] as const) {
    const owner = new Map<string, string>();
    for (const [name, person] of Object.entries(runbook.people)) {
      const id = person[platform];
      if (id === undefined) continue;
      const first = owner.get(id);
      if (first === undefined) owner.set(id, name);
      else
        problems.push({
          path: ['people', name, platform],
          message: `${name} has the ${platform} id "${id}" of ${first}; each person needs their own, or Preflight cannot tell who approved`,
        });
    }
  }
  return problems;
}

/** Gates, escalation and environments make sense for the people named, and no two share a chat account. */
export function checkPeople(runbook: Runbook): PathProblem[] {
  return [
    ...checkChatIds(runbook),
    ...checkGates(runbook),
    ...checkEscalation(runbook),
    ...checkEnvironments(runbook),
  ];
}
