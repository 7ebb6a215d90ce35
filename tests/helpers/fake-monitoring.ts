/**
 * One local HTTP server speaking the protocols Preflight reads and writes around incidents: a service's /health,
 * Prometheus instant queries (GET /api/v1/query), Alertmanager API v2 alerts (GET /api/v2/alerts) and the
 * PagerDuty Events API v2 (POST /v2/enqueue, answering 202, or the statuses queued in `pagerduty.replies`, where
 * `HOLD` holds the request open unanswered; an event over PagerDuty's limits is answered 413 or 400, as PagerDuty
 * does).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PagerDutyEvent {
  readonly routing_key: string;
  readonly event_action: 'trigger' | 'acknowledge' | 'resolve';
  readonly dedup_key: string;
  readonly payload?: {
    readonly summary: string;
    readonly source: string;
    readonly severity: string;
    readonly custom_details?: Record<string, unknown>;
  };
}

export interface FakeMonitoring {
  readonly url: string;
  /**
   * Status of GET /health; `flap` alternates 200 and 503 every 1.5 s, whoever asks; HANG accepts the request and
   * never answers it (a service that hangs).
   */
  health: number | 'flap' | typeof HANG;
  /** Requests to /health held unanswered (HANG) whose socket the asker still keeps open. */
  readonly healthHeld: number;
  /** Query → sample value; a query not listed answers an empty vector. */
  readonly prometheus: Map<string, string>;
  /** Labels of the active alerts; HANG takes GET /api/v2/alerts and never answers it (a hung Alertmanager). */
  alerts: Record<string, string>[] | typeof HANG;
  /** When the active alerts started firing, as the API writes it (to the millisecond). */
  alertsStartAt: string;
  /** How many times the alerts were asked for (each poll and re-check of an alertmanager trigger asks once). */
  readonly alertQueries: number;
  readonly pagerduty: {
    readonly received: PagerDutyEvent[];
    readonly replies: number[];
    /** Every request, taken or not: its key, answer and arrival (ms). */
    readonly tries: { readonly dedupKey: string; readonly status: number; readonly at: number }[];
    /** Requests held (`HOLD`) whose asker has not given up on them yet (closed the connection). */
    readonly heldOpen: number;
    /** Answers the requests held (`HOLD`) with 202: PagerDuty takes their events now, after any taken meanwhile. */
    release(): void;
  };
  close(): Promise<void>;
}

/** A query whose value is this is never answered: a Prometheus that hangs on it. */
export const HANG = 'hang';

/** A PagerDuty reply (in `pagerduty.replies`) that never comes: the request is held open, as by a hung proxy. */
export const HOLD = 0;

const json = (res: import('node:http').ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

/** Starts the fake on a free loopback port. */
export async function startFakeMonitoring(): Promise<FakeMonitoring> {
  const held: (() => void)[] = [];
  const state = {
    health: 200 as number | 'flap' | typeof HANG,
    healthHeld: 0,
    prometheus: new Map<string, string>(),
    alerts: [] as Record<string, string>[] | typeof HANG,
    alertsStartAt: '2025-03-01T10:00:12.345Z',
    alertQueries: 0,
    pagerduty: {
      received: [] as PagerDutyEvent[],
      replies: [] as number[],
      tries: [] as { dedupKey: string; status: number; at: number }[],
      heldOpen: 0,
      release: () => {
        for (const take of held.splice(0)) take();
      },
    },
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/health') {
      if (state.health === HANG) {
        state.healthHeld += 1;
        res.on('close', () => {
          state.healthHeld -= 1;
        });
        return;
      }
      const flip = Math.floor(Date.now() / 1_500) % 2 === 0;
      const status = state.health === 'flap' ? (flip ? 200 : 503) : state.health;
      return json(res, status, { status: status === 200 ? 'ok' : 'failing' });
    }
    if (url.pathname === '/api/v1/query') {
      const value = state.prometheus.get(url.searchParams.get('query') ?? '');
      if (value === HANG) return;
      const result = value === undefined ? [] : [{ metric: {}, value: [Date.now() / 1000, value] }];
      return json(res, 200, { status: 'success', data: { resultType: 'vector', result } });
    }
    if (url.pathname === '/api/v2/alerts') {
      state.alertQueries += 1;
      if (state.alerts === HANG) return;
      return json(
        res,
        200,
        state.alerts.map((labels, i) => ({
          labels,
          annotations: {},
          // API v2 writes times to the millisecond (the webhook, to the nanosecond).
          startsAt: state.alertsStartAt,
          endsAt: '2025-03-01T10:08:12.345Z',
          updatedAt: '2025-03-01T10:04:12.345Z',
          fingerprint: `f${i}`,
          receivers: [{ name: 'chatops-bot' }],
          status: { state: 'active', silencedBy: [], inhibitedBy: [], mutedBy: [] },
        })),
      );
    }
    if (url.pathname === '/v2/enqueue' && req.method === 'POST') {
      let body = '';
      req.setEncoding('utf8').on('data', (chunk: string) => {
        body += chunk;
      });
      req.on('end', () => {
        const event = JSON.parse(body) as PagerDutyEvent;
        // PagerDuty's own limits (Events API v2): an event of at most 512 KB, a summary of at most 1024 characters.
        const limit =
          Buffer.byteLength(body) > 512 * 1024
            ? 413
            : [...(event.payload?.summary ?? '')].length > 1024
              ? 400
              : undefined;
        const status = limit ?? state.pagerduty.replies.shift() ?? 202;
        state.pagerduty.tries.push({ dedupKey: event.dedup_key, status, at: Date.now() });
        const take = () => {
          state.pagerduty.received.push(event);
          json(res, 202, { status: 'success', message: 'Event processed', dedup_key: event.dedup_key });
        };
        if (status === HOLD) {
          state.pagerduty.heldOpen += 1;
          res.on('close', () => {
            state.pagerduty.heldOpen -= 1;
          });
          return void held.push(take);
        }
        if (status === 202) return take();
        if (status === 429) {
          res.setHeader('retry-after', '2');
          return json(res, 429, { status: 'throttled', message: 'Too many requests' });
        }
        if (status === 400)
          return json(res, 400, {
            status: 'invalid event',
            message: 'Event object is invalid',
            errors: ["Length of 'routing_key' is incorrect (should be 32 characters)"],
          });
        if (status === 413) return json(res, 413, { status: 'error', message: 'Request entity too large' });
        return json(res, status, { status: 'error', message: 'internal error' });
      });
      return;
    }
    json(res, 404, { error: `no route ${url.pathname}` });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const fake = state as unknown as FakeMonitoring;
  return Object.assign(fake, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

/** The dedup keys of the alerts PagerDuty holds open: the last event it took for each was a trigger. */
export function openAtPagerDuty(monitoring: FakeMonitoring): string[] {
  const last = new Map<string, string>();
  for (const e of monitoring.pagerduty.received) last.set(e.dedup_key, e.event_action);
  return [...last].filter(([, action]) => action === 'trigger').map(([key]) => key);
}

/** A loopback URL where nothing listens (connection refused). */
export async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
