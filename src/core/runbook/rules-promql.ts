/** Health checks' and rollback triggers' PromQL queries must parse: a broken one would only fail mid-deployment. */
import type { DiagnosticPath, PathProblem } from './diagnostic.ts';
import type { PromqlSyntax } from './promql-syntax-port.ts';
import type { Runbook } from './schema.ts';

/** `column 25`, or `line 2, column 3` in a query of several lines; columns count characters from 1. */
function whereInQuery(query: string, offset: number): string {
  const before = query.slice(0, offset).split('\n');
  const column = `column ${[...(before.at(-1) ?? '')].length + 1}`;
  return query.includes('\n') ? `line ${before.length}, ${column}` : column;
}

function checkQuery(syntax: PromqlSyntax, query: string, path: DiagnosticPath): PathProblem[] {
  const error = syntax.firstError(query);
  if (!error) return [];
  const where = whereInQuery(query, error.offset);
  return [{ path, message: `PromQL: ${error.problem} at ${where} of the query; ${error.fix}` }];
}

/** One error per health check or rollback trigger whose query is not valid PromQL. */
export function checkPromql(runbook: Runbook, syntax: PromqlSyntax): PathProblem[] {
  return [
    ...(runbook.health ?? []).flatMap((check, i) =>
      check.prometheus
        ? checkQuery(syntax, check.prometheus.query, ['health', i, 'prometheus', 'query'])
        : [],
    ),
    ...(runbook.rollback?.triggers ?? []).flatMap((trigger, i) =>
      trigger.prometheus
        ? checkQuery(syntax, trigger.prometheus.query, ['rollback', 'triggers', i, 'prometheus', 'query'])
        : [],
    ),
  ];
}
