/** Port: reads PromQL the way Prometheus does, to tell a runbook's author where a query's syntax is wrong. */

/** The first syntax error in a query. */
export interface PromqlSyntaxError {
  /** Where in the query, counted in UTF-16 units from 0. */
  readonly offset: number;
  /** What is wrong there, e.g. `unclosed parenthesis`. */
  readonly problem: string;
  /** What to do about it. */
  readonly fix: string;
}

export interface PromqlSyntax {
  /** The query's first syntax error, or undefined when it parses. */
  firstError(query: string): PromqlSyntaxError | undefined;
}
