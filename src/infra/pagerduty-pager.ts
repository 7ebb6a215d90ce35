/** Pages through the PagerDuty Events API v2 (POST /v2/enqueue): trigger, acknowledge, resolve. */
import {
  type Pager,
  type PagerEvent,
  type PagerOutcome,
  type PagerTry,
  type Runbook,
  retryAfterMs,
} from '../core/index.ts';
import { pagerDutyBody } from './pagerduty-body.ts';

export interface PagerDutyDeps {
  readonly routingKey: string;
  readonly eventsUrl: string;
  readonly log: { warn(obj: object, msg?: string): void; error(obj: object, msg?: string): void };
  readonly fetch?: typeof fetch;
  /** Told what became of each try (for /metrics). */
  readonly observe?: (action: PagerEvent['action'], outcome: PagerTry) => void;
  /** How long one try may take (default 10 s). */
  readonly timeoutMs?: number;
}

/** The longest wait PagerDuty's `Retry-After` is taken at: an hour. */
const MAX_RETRY_AFTER_MS = 3_600_000;

/** One POST of the event; its outcome. */
async function post(deps: PagerDutyDeps, event: PagerEvent): Promise<PagerOutcome> {
  const send = deps.fetch ?? fetch;
  try {
    const response = await send(deps.eventsUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(pagerDutyBody(deps.routingKey, event, new Date())),
      signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000),
    });
    const text = await response.text();
    if (response.status === 202 || response.ok) return { ok: true };
    const { status } = response;
    if (isRefusal(status)) {
      // PagerDuty's answer, without the routing key should it (or a proxy) echo the request back.
      const answer = text.replaceAll(deps.routingKey, '[PAGERDUTY_ROUTING_KEY]').slice(0, 300);
      deps.log.error(
        { status, action: event.action, dedupKey: event.dedupKey, response: answer },
        'PagerDuty refused the event',
      );
      const said = answer.slice(0, 200) || response.statusText;
      return { ok: false, failure: 'refused', status, reason: `HTTP ${status}${said ? `: ${said}` : ''}` };
    }
    const limited = status === 429;
    const asked = limited ? retryAfterMs(response.headers.get('retry-after')) : undefined;
    const wait = asked === undefined ? undefined : Math.min(asked, MAX_RETRY_AFTER_MS);
    return {
      ok: false,
      failure: limited ? 'rate_limited' : 'failed',
      status,
      reason: `HTTP ${status}`,
      ...(wait !== undefined && { retryAfterMs: wait }),
    };
  } catch (error) {
    return { ok: false, failure: 'failed', reason: (error as Error).message };
  }
}

/**
 * A 4xx other than 408 and 429 is permanent: the event as it is will never be taken (400 invalid, 401/403/404 a
 * routing key or URL PagerDuty does not know, 413 too large), so trying it again only delays saying so. A 408 (the
 * request timed out on the way) and a 429 (too many) say nothing against the event, and are tried again.
 */
const isRefusal = (status: number) => status >= 400 && status < 500 && status !== 408 && status !== 429;

/**
 * Creates the PagerDuty pager: one try per call. A refusal (`isRefusal`) is logged here, once, and not retried;
 * 429 (with its Retry-After), 5xx and network errors are for the caller to try again.
 */
export function createPagerDutyPager(deps: PagerDutyDeps): Pager {
  return {
    // A request given up on may still be on its way through PagerDuty's edge: allowed six times a try's limit.
    lateMs: 6 * (deps.timeoutMs ?? 10_000),
    async send(event) {
      const outcome = await post(deps, event);
      deps.observe?.(event.action, outcome.ok ? 'sent' : outcome.failure);
      return outcome;
    },
  };
}

/** Names at start the runbooks that page through PagerDuty while PAGERDUTY_ROUTING_KEY is unset. */
export function warnOfUnsetPagerDuty(
  files: readonly { readonly runbook: Runbook }[],
  log: { warn(obj: object, msg?: string): void },
): void {
  const services = files
    .filter((f) => f.runbook.escalation.levels.some((level) => level.via?.includes('pagerduty')))
    .map((f) => f.runbook.service);
  if (services.length > 0)
    log.warn(
      { services },
      'runbooks page through PagerDuty but PAGERDUTY_ROUTING_KEY is not set: their pages go to chat only',
    );
}

/**
 * Warns at start when PAGERDUTY_ROUTING_KEY does not look like an Events API v2 integration key (32 letters and
 * digits): PagerDuty would refuse every page. A warning, not a refusal to start: a proxy or a test double may take
 * keys of its own, and each refused page is said in its incident's thread and counted for the alert rules.
 */
export function warnOfOddRoutingKey(
  routingKey: string,
  log: { warn(obj: object, msg?: string): void },
): void {
  if (/^[A-Za-z0-9]{32}$/.test(routingKey)) return;
  log.warn(
    { length: routingKey.length },
    'PAGERDUTY_ROUTING_KEY does not look like an integration key (32 letters and digits: PagerDuty → the service → Integrations → Events API v2): PagerDuty may refuse every page',
  );
}
