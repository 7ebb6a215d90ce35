/** Service names as people and alerts write them: matched to the runbook's names whatever their case. */

/**
 * The runbook's spelling of a service named in any case: `Shop` and `SHOP` are `shop`. Runbook service names are
 * lower-case ASCII (the runbook schema), so only ASCII letters are folded: a look-alike such as the Kelvin sign
 * never becomes a `k`.
 */
export function serviceSpelling(named: string): string {
  return named.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

/**
 * What `byService` (keyed by the runbooks' service names) holds for the service a person or an alert named, in any
 * case. A name that only an object's prototype has (`__proto__`, `constructor`) finds nothing: it is a map.
 */
export function findService<T>(byService: ReadonlyMap<string, T>, named: string): T | undefined {
  return byService.get(serviceSpelling(named));
}

/** Whether `named` (a chat word, an alert's label) names the runbook service `service`, in any case. */
export function namesService(service: string, named: string | undefined): boolean {
  return named !== undefined && serviceSpelling(named) === service;
}
