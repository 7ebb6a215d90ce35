/** Semantic rules: ids are unique and every reference names something that exists. */
import { type DiagnosticPath, formatPath, type PathProblem } from './diagnostic.ts';
import { isPersonOrGroup, resolvePeople } from './people.ts';
import type { Runbook } from './schema.ts';
import { didYouMean } from './suggest.ts';

function unknownRef(kind: string, ref: string, known: string[], path: DiagnosticPath): PathProblem {
  const list =
    known.length > 0 ? ` (known: ${known.slice(0, 12).join(', ')}${known.length > 12 ? ', …' : ''})` : '';
  const hint = didYouMean(ref, known);
  return { path, message: `unknown ${kind} "${ref}"${hint || list}` };
}

function checkPeopleRefs(
  runbook: Runbook,
  refs: readonly string[] | undefined,
  path: DiagnosticPath,
): PathProblem[] {
  const known = [...Object.keys(runbook.people), ...Object.keys(runbook.groups ?? {})];
  return (refs ?? []).flatMap((ref, i) =>
    isPersonOrGroup(runbook, ref) ? [] : [unknownRef('person or group', ref, known, [...path, i])],
  );
}

function checkIdRefs(
  kind: string,
  refs: readonly string[] | undefined,
  known: string[],
  path: DiagnosticPath,
) {
  return (refs ?? []).flatMap((ref, i) =>
    known.includes(ref) ? [] : [unknownRef(kind, ref, known, [...path, i])],
  );
}

/** Ids that must be unique within one list. */
function checkUnique(
  items: readonly { id?: string | undefined }[] | undefined,
  base: DiagnosticPath,
  kind: string,
) {
  const seen = new Map<string, number>();
  const problems: PathProblem[] = [];
  (items ?? []).forEach((item, i) => {
    if (item.id === undefined) return;
    const first = seen.get(item.id);
    if (first === undefined) seen.set(item.id, i);
    else {
      const earlier = formatPath([...base, first]);
      problems.push({
        path: [...base, i, 'id'],
        message: `duplicate ${kind} id "${item.id}" (${earlier} already uses it); give each ${kind} its own id`,
      });
    }
  });
  return problems;
}

/** The chain of groups from `group` back to itself through its members, e.g. [a, b, a]; undefined if none. */
export function findGroupCycle(
  groups: Readonly<Record<string, readonly string[]>>,
  group: string,
): string[] | undefined {
  const walk = (ref: string, trail: string[]): string[] | undefined => {
    if (ref === group && trail.length > 0) return [...trail, ref];
    if (trail.includes(ref)) return undefined;
    for (const member of groups[ref] ?? []) {
      const cycle = walk(member, [...trail, ref]);
      if (cycle) return cycle;
    }
    return undefined;
  };
  return walk(group, []);
}

function checkGroups(runbook: Runbook): PathProblem[] {
  const problems: PathProblem[] = [];
  const groups = runbook.groups ?? {};
  const inReportedCycle = new Set<string>();
  for (const [group, members] of Object.entries(groups)) {
    if (Object.hasOwn(runbook.people, group)) {
      problems.push({
        path: ['groups', group],
        atKey: true,
        message: `"${group}" is both a person and a group; rename one`,
      });
    }
    problems.push(...checkPeopleRefs(runbook, members, ['groups', group]));
    const cycle = inReportedCycle.has(group) ? undefined : findGroupCycle(groups, group);
    if (cycle) {
      for (const g of cycle) inReportedCycle.add(g);
      problems.push({
        path: ['groups', group, members.indexOf(cycle[1] ?? '')],
        message: `group "${group}" contains itself (${cycle.join(' → ')}); remove one of these memberships`,
      });
    }
  }
  return problems;
}

/** Unique ids and resolvable references across the whole runbook. */
export function checkReferences(runbook: Runbook): PathProblem[] {
  const gates = Object.keys(runbook.gates ?? {});
  const health = (runbook.health ?? []).map((h) => h.id);
  const problems: PathProblem[] = [
    ...checkUnique(runbook.checklist, ['checklist'], 'checklist item'),
    ...checkUnique(runbook.steps, ['steps'], 'step'),
    ...checkUnique(runbook.health, ['health'], 'health check'),
    ...checkUnique(runbook.success, ['success'], 'success criterion'),
    ...checkUnique(runbook.monitoring, ['monitoring'], 'monitoring window'),
    ...checkUnique(runbook.escalation.levels, ['escalation', 'levels'], 'escalation level'),
    ...checkUnique(runbook.rollback?.steps, ['rollback', 'steps'], 'rollback step'),
    ...checkUnique(runbook.rollback?.triggers, ['rollback', 'triggers'], 'trigger'),
    ...checkGroups(runbook),
  ];
  for (const [name, refs] of Object.entries(runbook.permissions)) {
    problems.push(...checkPeopleRefs(runbook, refs, ['permissions', name]));
  }
  for (const [id, gate] of Object.entries(runbook.gates ?? {})) {
    problems.push(...checkPeopleRefs(runbook, gate.approvers, ['gates', id, 'approvers']));
  }
  runbook.checklist?.forEach((item, i) => {
    problems.push(...checkPeopleRefs(runbook, item.owner, ['checklist', i, 'owner']));
  });
  runbook.steps.forEach((step, i) => {
    problems.push(...checkIdRefs('gate', step.needs, gates, ['steps', i, 'needs']));
  });
  runbook.monitoring?.forEach((window, i) => {
    problems.push(...checkIdRefs('health check', window.checks, health, ['monitoring', i, 'checks']));
    problems.push(...checkPeopleRefs(runbook, window.owner, ['monitoring', i, 'owner']));
    window.tasks?.forEach((task, t) => {
      if (typeof task !== 'string')
        problems.push(...checkPeopleRefs(runbook, task.owner, ['monitoring', i, 'tasks', t, 'owner']));
    });
  });
  runbook.success?.forEach((criterion, i) => {
    problems.push(...checkIdRefs('health check', criterion.require, health, ['success', i, 'require']));
  });
  runbook.rollback?.triggers?.forEach((trigger, i) => {
    problems.push(
      ...checkIdRefs('health check', trigger.health, health, ['rollback', 'triggers', i, 'health']),
    );
  });
  if (runbook.rollback?.approval) {
    problems.push(
      ...checkPeopleRefs(runbook, runbook.rollback.approval.approvers, ['rollback', 'approval', 'approvers']),
    );
  }
  runbook.escalation.levels.forEach((level, i) => {
    problems.push(...checkPeopleRefs(runbook, level.notify, ['escalation', 'levels', i, 'notify']));
  });
  const overrideGate = runbook.window?.override_gate;
  if (overrideGate !== undefined && !gates.includes(overrideGate)) {
    problems.push(unknownRef('gate', overrideGate, gates, ['window', 'override_gate']));
  }
  return problems;
}

/** People a reference list resolves to, for rules that need counts. */
export function countPeople(runbook: Runbook, refs: readonly string[] | undefined): number {
  return resolvePeople(runbook, refs).length;
}
