/**
 * What the shipped alert rules and dashboard ask of /metrics, read from their PromQL by pattern (enough for the
 * shapes they use): which label each one groups by, matches or shows, so a test can hold them to a live scrape.
 */

/** One PromQL expression and the label names its text shows (a legend's `{{x}}`, an annotation's `$labels.x`). */
export interface Query {
  readonly where: string;
  readonly expr: string;
  readonly shows: readonly string[];
}

/** Label names on the samples of `name` (and its _bucket, _sum, _count) in a scrape, with Prometheus's own. */
export function labelsOf(scrape: string, name: string): Set<string> {
  const labels = new Set(['instance', 'job']);
  for (const [, series = '', body = ''] of scrape.matchAll(/^([a-zA-Z_:][\w:]*)\{(.*)\} \S+$/gm)) {
    if (series.replace(/_(bucket|sum|count)$/, '') !== name && series !== name) continue;
    for (const [, label = ''] of body.matchAll(/(\w+)="/g)) labels.add(label);
  }
  return labels;
}

/** What is wrong with `query` against `scrape`: labels grouped by, matched (=~ alternatives) or shown that no series has. */
export function labelProblems(scrape: string, query: Query): string[] {
  const names = [...query.expr.matchAll(/\b(preflight_[a-z0-9_]+)/g)].map(([, n = '']) =>
    n.replace(/_(bucket|sum|count)$/, ''),
  );
  if (names.length === 0) return [];
  const carried = new Set(names.flatMap((n) => [...labelsOf(scrape, n)]));
  const problems: string[] = [];
  const groups = [...query.expr.matchAll(/\bby \(([^)]*)\)/g)].map(([, list = '']) =>
    list.split(',').map((l) => l.trim()),
  );
  for (const label of groups.flat())
    if (label !== 'le' && !carried.has(label)) problems.push(`by (${label}): no such label`);
  for (const [, name = '', label = '', alternatives = ''] of query.expr.matchAll(
    /(preflight_\w+)\{[^}]*?(\w+)=~"([^"]*)"/g,
  ))
    for (const value of alternatives.split('|'))
      if (/^\w+$/.test(value) && !new RegExp(`^${name}\\{[^}]*${label}="${value}"`, 'm').test(scrape))
        problems.push(`${name}{${label}="${value}"}: no such series`);
  // The outermost aggregation (written first) decides what the result carries; without one, the series' labels.
  const result = groups[0] ? new Set(groups[0]) : carried;
  for (const label of query.shows)
    if (!result.has(label)) problems.push(`shows {{${label}}}, which the result does not carry`);
  return problems.map((p) => `${query.where}: ${p} in ${query.expr}`);
}

/** The label names a legend or annotation template shows. */
export function shownLabels(template: string): string[] {
  return [...template.matchAll(/\{\{\s*(?:\$labels\.)?(\w+)\s*\}\}/g)].map(([, l = '']) => l);
}
