/** Resolving people and groups named in a runbook. */
import type { Runbook } from './schema.ts';

type PeopleSource = Pick<Runbook, 'people' | 'groups'>;

/** Expands person and group ids into distinct person ids, in first-seen order. Unknown ids are skipped. */
export function resolvePeople(runbook: PeopleSource, refs: readonly string[] | undefined): string[] {
  const out = new Set<string>();
  const seen = new Set<string>();
  const visit = (ref: string): void => {
    if (Object.hasOwn(runbook.people, ref)) {
      out.add(ref);
      return;
    }
    const members = runbook.groups?.[ref];
    if (!members || seen.has(ref)) return;
    seen.add(ref);
    for (const member of members) visit(member);
  };
  for (const ref of refs ?? []) visit(ref);
  return [...out];
}

/** True when `ref` names a person or a group. */
export function isPersonOrGroup(runbook: PeopleSource, ref: string): boolean {
  return Object.hasOwn(runbook.people, ref) || Object.hasOwn(runbook.groups ?? {}, ref);
}

/** Display names for refs: `Wei Zhang, Lin Chen`. */
export function describePeople(runbook: PeopleSource, refs: readonly string[] | undefined): string {
  return resolvePeople(runbook, refs)
    .map((id) => runbook.people[id]?.name ?? id)
    .join(', ');
}
