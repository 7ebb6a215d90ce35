/** Pages through the PagerDuty Events API v2 (POST /v2/enqueue): trigger, acknowledge, resolve. */
import type { Pager, PagerEvent } from '../core/index.ts';

export interface PagerDutyDeps {
  readonly routingKey: string;
  readonly eventsUrl: string;
  readonly log: { warn(obj: object, msg?: string): void; error(obj: object, msg?: string): void };
  readonly fetch?: typeof fetch;
  /** Tries per event for 429, 5xx and network errors (default 4). */
  readonly attempts?: number;
  readonly backoffMs?: number;
}

function body(routingKey: string, event: PagerEvent): Record<string, unknown> {
  if (event.action !== 'trigger')
    return { routing_key: routingKey, dedup_key: event.dedupKey, event_action: event.action };
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: event.dedupKey,
    payload: {
      summary: event.summary,
      source: event.source,
      severity: event.severity,
      timestamp: new Date().toISOString(),
      ...(event.component !== undefined && { component: event.component }),
      ...(event.group !== undefined && { group: event.group }),
      class: 'deployment_incident',
      ...(event.details !== undefined && { custom_details: event.details }),
    },
    client: 'Preflight',
  };
}

/** Creates the PagerDuty pager. 400 is logged and dropped (retrying cannot help); 429, 5xx and network errors retry. */
export function createPagerDutyPager(deps: PagerDutyDeps): Pager {
  const send = deps.fetch ?? fetch;
  const attempts = deps.attempts ?? 4;
  const backoff = deps.backoffMs ?? 1_000;
  return {
    async send(event) {
      let last = '';
      for (let attempt = 1; attempt <= attempts; attempt++) {
        try {
          const response = await send(deps.eventsUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body(deps.routingKey, event)),
            signal: AbortSignal.timeout(10_000),
          });
          const text = await response.text();
          if (response.status === 202 || response.ok) return;
          if (response.status === 400) {
            deps.log.error(
              { status: 400, dedupKey: event.dedupKey, response: text.slice(0, 300) },
              'PagerDuty refused the event',
            );
            return;
          }
          last = `HTTP ${response.status}`;
        } catch (error) {
          last = (error as Error).message;
        }
        deps.log.warn(
          { attempt, dedupKey: event.dedupKey, reason: last },
          'PagerDuty event not accepted; retrying',
        );
        if (attempt < attempts) await new Promise((r) => setTimeout(r, backoff * 2 ** (attempt - 1)));
      }
      throw new Error(`PagerDuty did not accept ${event.action} for ${event.dedupKey}: ${last}`);
    },
  };
}
