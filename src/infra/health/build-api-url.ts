/** The URL of an API path under a configured base URL, which may itself carry a path prefix. */

/** `http://prom:9090/prefix` + `api/v1/query` → `http://prom:9090/prefix/api/v1/query?…`; undefined when the base is not http(s). */
export function buildApiUrl(
  base: string,
  path: string,
  params: ReadonlyArray<readonly [string, string]>,
): URL | undefined {
  let url: URL;
  try {
    url = new URL(path, base.endsWith('/') ? base : `${base}/`);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  for (const [name, value] of params) url.searchParams.append(name, value);
  return url;
}
