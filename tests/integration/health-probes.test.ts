/** The health probes against real local HTTP servers that answer with the Prometheus and Alertmanager fixtures. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Comparison, parseComparison, type RunbookHealthCheck } from '../../src/core/index.ts';
import { createHealthProber } from '../../src/infra/health/health-prober.ts';

// Verbatim from shared/fixtures: prometheus-query-up.json, prometheus-query-ratio.json, prometheus-query-error.json.
const PROM_UP = `{"status":"success","data":{"resultType":"vector","result":[
  {"metric":{"__name__":"up","job":"checkout","instance":"checkout-0:8080"},"value":[1740823512.345,"0"]},
  {"metric":{"__name__":"up","job":"checkout","instance":"checkout-1:8080"},"value":[1740823512.345,"1"]}]}}`;
const PROM_RATIO = `{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1740823512.345,"0.0731"]}]}}`;
const PROM_ERROR = `{"status":"error","errorType":"bad_data","error":"invalid parameter \\"query\\": 1:6: parse error: unexpected end of input"}`;

const RATIO_QUERY =
  'sum(rate(http_requests_total{job="checkout",code=~"5.."}[5m])) / sum(rate(http_requests_total{job="checkout"}[5m]))';

const vector = (samples: ReadonlyArray<readonly [Record<string, string>, string]>) =>
  JSON.stringify({
    status: 'success',
    data: {
      resultType: 'vector',
      result: samples.map(([metric, v]) => ({ metric, value: [1740823512.345, v] })),
    },
  });

const PROM_ANSWERS: Readonly<Record<string, readonly [number, string]>> = {
  'up{job="checkout"}': [200, PROM_UP],
  [RATIO_QUERY]: [200, PROM_RATIO],
  'sum(': [400, PROM_ERROR],
  absent_metric: [200, vector([])],
  'up[5m]': [200, '{"status":"success","data":{"resultType":"matrix","result":[]}}'],
  'time()': [
    200,
    '{"status":"success","data":{"resultType":"scalar","result":[1740823512.345,"1740823512.345"]}}',
  ],
  nan_ratio: [200, vector([[{}, 'NaN']])],
  inf_latency: [200, vector([[{ __name__: 'latency' }, '+Inf']])],
  'up{job="cart"}': [
    200,
    vector(['a', 'b', 'c', 'd', 'e'].map((i) => [{ __name__: 'up', instance: i }, '0'] as const)),
  ],
};

// The firing alert of alertmanager-webhook-v4-firing.json as API v2 (GET /api/v2/alerts) returns it, and others.
const gettable = (labels: Record<string, string>, fingerprint: string, state = 'active') => ({
  labels,
  annotations: { summary: `${labels.alertname} is firing` },
  startsAt: '2025-03-01T10:00:12.345678901Z',
  endsAt: '2025-03-01T10:08:12.345Z',
  updatedAt: '2025-03-01T10:04:12.345Z',
  generatorURL:
    'http://prometheus.example.internal:9090/graph?g0.expr=up%7Bjob%3D%22checkout%22%7D+%3D%3D+0&g0.tab=1',
  fingerprint,
  receivers: [{ name: 'chatops-bot' }],
  status: { state, silencedBy: [], inhibitedBy: [], mutedBy: [] },
});
const ALERTS = [
  gettable(
    {
      alertname: 'ServiceDown',
      service: 'checkout',
      severity: 'critical',
      job: 'checkout',
      instance: 'checkout-0:8080',
    },
    '5b2f0e4c9a1d7e3f',
  ),
  gettable({ alertname: 'HighLatency', service: 'checkout', severity: 'critical' }, '1c2d3e4f5a6b7c8d'),
  gettable({ alertname: 'DiskFilling', service: 'checkout', severity: 'warning' }, '9e8d7c6b5a4f3e2d'),
  gettable(
    { alertname: 'Silenced', service: 'checkout', severity: 'critical' },
    '0a1b2c3d4e5f6a7b',
    'suppressed',
  ),
];

// Critical alerts of checkout in three environments and in none, as its runbook with production (default) and
// staging sees them.
const ENV_ALERTS = [
  gettable({ alertname: 'Down', severity: 'critical', service: 'checkout', environment: 'production' }, 'e1'),
  gettable({ alertname: 'Down', severity: 'critical', service: 'checkout', env: 'staging' }, 'e2'),
  gettable({ alertname: 'Down', severity: 'critical', service: 'checkout', environment: 'qa' }, 'e3'),
  gettable({ alertname: 'Unlabelled', severity: 'critical', service: 'checkout' }, 'e4'),
];
const CHECKOUT = { service: 'checkout', environments: { production: { default: true }, staging: {} } };

// Critical alerts of checkout (by its service label, by its job label), of another service, and of none.
const SERVICE_ALERTS = [
  gettable({ alertname: 'Down', severity: 'critical', service: 'checkout' }, 's1'),
  gettable({ alertname: 'Scraped', severity: 'critical', job: 'checkout' }, 's2'),
  gettable({ alertname: 'DbDown', severity: 'critical', service: 'db', job: 'db' }, 's3'),
  gettable({ alertname: 'Orphan', severity: 'critical' }, 's4'),
];

interface TestServer {
  readonly url: string;
  readonly requests: URL[];
  close(): Promise<void>;
}

async function serve(
  handler: (url: URL, res: ServerResponse, req: IncomingMessage) => void,
): Promise<TestServer> {
  const requests: URL[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://test');
    requests.push(url);
    handler(url, res, req);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  const close = () => {
    server.closeAllConnections();
    return new Promise<void>((done) => server.close(() => done()));
  };
  return { url: `http://127.0.0.1:${port}`, requests, close };
}

function send(res: ServerResponse, status: number, body: string, type = 'application/json'): void {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
}

function expectation(text: string): Comparison {
  const comparison = parseComparison(text);
  if (!comparison) throw new Error(`not a comparison: ${text}`);
  return comparison;
}

let web: TestServer;
let prom: TestServer;
let am: TestServer;
let closedPort: number;

beforeAll(async () => {
  web = await serve((url, res, req) => {
    if (url.pathname === '/health') return send(res, 200, 'ok', 'text/plain');
    if (url.pathname === '/created') return send(res, 201, '{}');
    if (url.pathname === '/down') return send(res, 503, 'unavailable', 'text/plain');
    if (url.pathname === '/html') return send(res, 200, '<html>hello</html>', 'text/html');
    if (url.pathname === '/big') return send(res, 200, `${'x'.repeat(1024 * 1024)}ok`, 'text/plain');
    if (url.pathname === '/guarded') {
      const expected = `Basic ${Buffer.from('ops:p@ss w0rd').toString('base64')}`;
      return req.headers.authorization === expected
        ? send(res, 200, 'ok', 'text/plain')
        : send(res, 401, 'who are you', 'text/plain');
    }
    if (url.pathname !== '/hang') send(res, 404, 'not found');
  });
  prom = await serve((url, res) => {
    const answer = PROM_ANSWERS[url.searchParams.get('query') ?? ''];
    if (!url.pathname.endsWith('/api/v1/query') || !answer) return send(res, 404, 'not found', 'text/plain');
    send(res, answer[0], answer[1]);
  });
  am = await serve((url, res) => {
    if (url.pathname === '/api/v2/alerts') return send(res, 200, JSON.stringify(ALERTS));
    if (url.pathname === '/envs/api/v2/alerts') return send(res, 200, JSON.stringify(ENV_ALERTS));
    if (url.pathname === '/services/api/v2/alerts') return send(res, 200, JSON.stringify(SERVICE_ALERTS));
    if (url.pathname === '/proxied/api/v2/alerts')
      return send(
        res,
        502,
        `upstream ${'unreachable '.repeat(7)}via http://am:Am4l3rtP4ssw0rd@10.0.0.7:9093`,
        'text/plain',
      );
    send(res, 500, 'internal error: the alert store is unavailable\n', 'text/plain');
  });
  const closed = await serve(() => undefined);
  closedPort = Number(new URL(closed.url).port);
  await closed.close();
});

afterAll(async () => {
  await Promise.all([web.close(), prom.close(), am.close()]);
});

const probe = (check: RunbookHealthCheck, signal?: AbortSignal) =>
  createHealthProber({ prometheusUrl: prom.url, alertmanagerUrl: am.url }).probe(
    check,
    signal ? { signal } : {},
  );

describe('http probe', () => {
  it('passes on a 2xx answer and reports the status and time', async () => {
    const result = await probe({ id: 'web', http: { url: `${web.url}/health`, contains: 'ok' } });
    expect(result.passed).toBe(true);
    expect(result.detail).toMatch(/^HTTP 200 in \d+ ms$/);
    expect(result.value).toBeGreaterThanOrEqual(0);
  });

  it('fails on another status, saying what was expected', async () => {
    expect(await probe({ id: 'web', http: { url: `${web.url}/down`, status: 200 } })).toMatchObject({
      passed: false,
      detail: 'HTTP 503 (expected 200)',
    });
    expect((await probe({ id: 'web', http: { url: `${web.url}/down` } })).detail).toBe(
      'HTTP 503 (expected 2xx)',
    );
    const listed = await probe({ id: 'web', http: { url: `${web.url}/health`, status: [201, 204, 301] } });
    expect(listed.detail).toBe('HTTP 200 (expected 201, 204 or 301)');
    expect((await probe({ id: 'web', http: { url: `${web.url}/created`, status: [200, 201] } })).passed).toBe(
      true,
    );
  });

  it('fails when the body lacks the text, reading at most 64 KB of it', async () => {
    const html = await probe({ id: 'web', http: { url: `${web.url}/html`, contains: 'ok' } });
    expect(html).toEqual({
      id: 'web',
      passed: false,
      detail: 'body does not contain "ok"',
      value: expect.any(Number),
    });
    const big = await probe({ id: 'web', http: { url: `${web.url}/big`, contains: 'ok' } });
    expect(big.detail).toBe('body does not contain "ok" (in its first 64 KB)');
  });

  it('times out on a server that never answers', async () => {
    const result = await probe({ id: 'web', http: { url: `${web.url}/hang`, timeout: 200 } });
    expect(result).toEqual({ id: 'web', passed: false, detail: 'timed out after 200ms' });
    const prober = createHealthProber({ defaultTimeoutMs: 150 });
    const fallback = await prober.probe({ id: 'web', http: { url: `${web.url}/hang` } }, {});
    expect(fallback.detail).toBe('timed out after 150ms');
  });

  it('says cancelled when the caller aborts', async () => {
    const result = await probe({ id: 'web', http: { url: `${web.url}/hang` } }, AbortSignal.timeout(100));
    expect(result.detail).toBe('cancelled');
  });

  it('sends the user and password of its URL as basic auth (fetch refuses them in the URL)', async () => {
    const guarded = `${web.url.replace('://', '://ops:p%40ss%20w0rd@')}/guarded`;
    const result = await probe({ id: 'web', http: { url: guarded } });
    expect(result).toMatchObject({ id: 'web', passed: true });
    const refused = await probe({ id: 'web', http: { url: guarded.replace('w0rd', 'wrong') } });
    expect(refused).toMatchObject({ passed: false });
    expect(refused.detail).toContain('401');
  });

  it('names a refused connection with its address', async () => {
    const result = await probe({ id: 'web', http: { url: `http://127.0.0.1:${closedPort}/health` } });
    expect(result).toEqual({
      id: 'web',
      passed: false,
      detail: `connection refused (ECONNREFUSED 127.0.0.1:${closedPort})`,
    });
  });
});

describe('prometheus probe', () => {
  it('fails up == 1 when one series is 0, naming its labels; value is the largest sample', async () => {
    const query = 'up{job="checkout"}';
    const result = await probe({ id: 'targets-up', prometheus: { query, expect: expectation('== 1') } });
    expect(result).toEqual({
      id: 'targets-up',
      passed: false,
      detail: 'up = 0 on {instance="checkout-0:8080", job="checkout"} (expected == 1)',
      value: 1,
    });
    const request = prom.requests.at(-1);
    expect(request?.pathname).toBe('/api/v1/query');
    expect(request?.searchParams.get('query')).toBe(query);
  });

  it('passes with every series listed when no expectation is given', async () => {
    const result = await probe({ id: 'targets', prometheus: { query: 'up{job="checkout"}' } });
    expect(result).toEqual({ id: 'targets', passed: true, detail: '2 series', value: 1 });
  });

  it('compares a ratio: 0.0731 passes < 0.1 and fails < 0.05', async () => {
    const check = (text: string): RunbookHealthCheck => ({
      id: 'error-rate',
      prometheus: { query: RATIO_QUERY, expect: expectation(text) },
    });
    expect(await probe(check('< 0.1'))).toEqual({
      id: 'error-rate',
      passed: true,
      detail: '0.0731 (ok: < 0.1)',
      value: 0.0731,
    });
    expect(await probe(check('< 0.05'))).toEqual({
      id: 'error-rate',
      passed: false,
      detail: '0.0731 (expected < 0.05)',
      value: 0.0731,
    });
  });

  it('lists at most three offending series', async () => {
    const result = await probe({
      id: 'cart',
      prometheus: { query: 'up{job="cart"}', expect: expectation('== 1') },
    });
    expect(result.detail).toBe(
      'up = 0 on {instance="a"}; up = 0 on {instance="b"}; up = 0 on {instance="c"} and 2 more (expected == 1)',
    );
  });

  it('reports the Prometheus error envelope', async () => {
    expect(await probe({ id: 'broken', prometheus: { query: 'sum(' } })).toEqual({
      id: 'broken',
      passed: false,
      unknown: true,
      detail:
        'Prometheus error bad_data: invalid parameter "query": 1:6: parse error: unexpected end of input',
    });
  });

  it('fails on an empty result, a matrix, and NaN or +Inf against a comparison', async () => {
    const detail = async (query: string, text?: string) =>
      (await probe({ id: 'q', prometheus: { query, ...(text && { expect: expectation(text) }) } })).detail;
    expect(await detail('absent_metric')).toBe('no data: the query returned no series');
    expect(await detail('up[5m]')).toBe('expected an instant vector or scalar, got matrix');
    expect(await detail('nan_ratio', '< 0.05')).toBe('NaN (expected < 0.05)');
    expect(await detail('inf_latency', '< 2')).toBe('latency = +Inf (expected < 2)');
    const nan = await probe({ id: 'q', prometheus: { query: 'nan_ratio', expect: expectation('< 0.05') } });
    expect(nan).not.toHaveProperty('value');
  });

  it('judges no series as no_data says: failing by default, passing, or unknown (never fires)', async () => {
    const judged = (noData?: 'failing' | 'passing' | 'unknown') =>
      probe({ id: 'q', prometheus: { query: 'absent_metric', ...(noData && { no_data: noData }) } });
    expect(await judged()).toEqual({
      id: 'q',
      passed: false,
      detail: 'no data: the query returned no series',
    });
    expect(await judged('passing')).toEqual({
      id: 'q',
      passed: true,
      detail: 'no data: the query returned no series (passing: no_data)',
    });
    expect(await judged('unknown')).toEqual({
      id: 'q',
      passed: false,
      unknown: true,
      detail: 'no data: the query returned no series',
    });
  });

  it('accepts a scalar and a base URL with a path prefix', async () => {
    const result = await probe({ id: 'clock', prometheus: { query: 'time()', url: `${prom.url}/prom/` } });
    expect(result).toEqual({ id: 'clock', passed: true, detail: '1740823512.345', value: 1740823512.345 });
    expect(prom.requests.at(-1)?.pathname).toBe('/prom/api/v1/query');
  });

  it('is unknown, not failing, when no base URL is known', async () => {
    const result = await createHealthProber({}).probe({ id: 'q', prometheus: { query: 'up' } }, {});
    expect(result).toEqual({
      id: 'q',
      passed: false,
      unknown: true,
      detail: 'PROMETHEUS_URL is not set and the check has no url',
    });
  });
});

describe('alertmanager probe', () => {
  const critical = { severity: 'critical' };

  it('counts active alerts with every label: two against max 0 fail', async () => {
    expect(await probe({ id: 'alerts', alertmanager: { match: critical } })).toEqual({
      id: 'alerts',
      passed: false,
      detail: '2 firing alerts match severity=critical: ServiceDown (checkout-0:8080), HighLatency',
      value: 2,
      // As the webhook names them: an incident opened by the poll knows them when the webhook reports them.
      alerts: [
        '5b2f0e4c9a1d7e3f@2025-03-01T10:00:12.345678901Z',
        '1c2d3e4f5a6b7c8d@2025-03-01T10:00:12.345678901Z',
      ],
    });
    const request = am.requests.at(-1);
    expect(request?.searchParams.get('active')).toBe('true');
    expect(request?.searchParams.get('silenced')).toBe('false');
    expect(request?.searchParams.get('inhibited')).toBe('false');
    expect(request?.searchParams.getAll('filter')).toEqual(['severity="critical"']);
  });

  it('passes two against max 2', async () => {
    const result = await probe({ id: 'alerts', alertmanager: { match: critical, max: 2 } });
    expect(result).toMatchObject({
      passed: true,
      detail:
        '2 firing alerts match severity=critical: ServiceDown (checkout-0:8080), HighLatency (at most 2 allowed)',
    });
  });

  it('passes when none match', async () => {
    expect(await probe({ id: 'alerts', alertmanager: { match: { severity: 'page' } } })).toEqual({
      id: 'alerts',
      passed: true,
      detail: 'no firing alerts match severity=page',
      value: 0,
    });
  });

  it('matches alerts that carry more labels than asked', async () => {
    const match = { alertname: 'ServiceDown', service: 'checkout' };
    expect(await probe({ id: 'alerts', alertmanager: { match } })).toMatchObject({
      passed: false,
      detail: '1 firing alert matches alertname=ServiceDown, service=checkout: ServiceDown (checkout-0:8080)',
      value: 1,
    });
  });

  it('probed for an environment, counts its alerts only, as the webhook places them, and names the rest', async () => {
    const check = { id: 'alerts', alertmanager: { match: critical, url: `${am.url}/envs` } };
    const prober = createHealthProber({});
    const inProduction = await prober.probe(check, {
      environment: { name: 'production', runbook: CHECKOUT },
    });
    // No environment label: the default environment's.
    expect(inProduction).toMatchObject({
      passed: false,
      value: 2,
      detail:
        '2 firing alerts match severity=critical in production: Down, Unlabelled; not counted: 1 in staging, 1 in qa (not in the runbook)',
      alerts: ['e1@2025-03-01T10:00:12.345678901Z', 'e4@2025-03-01T10:00:12.345678901Z'],
    });
    const inStaging = await prober.probe(check, {
      environment: { name: 'staging', runbook: CHECKOUT },
    });
    expect(inStaging).toMatchObject({ value: 1, alerts: ['e2@2025-03-01T10:00:12.345678901Z'] });
    const quiet = await prober.probe(
      {
        id: 'alerts',
        alertmanager: { match: { ...critical, alertname: 'Unlabelled' }, url: `${am.url}/envs` },
      },
      { environment: { name: 'staging', runbook: CHECKOUT } },
    );
    expect(quiet).toMatchObject({
      passed: true,
      detail:
        'no firing alerts match severity=critical, alertname=Unlabelled in staging; not counted: 1 in production',
    });
  });

  it('probed for a deployment, counts its service’s alerts only (service or job label), as the webhook does, and names the rest', async () => {
    const prober = createHealthProber({});
    const scope = { environment: { name: 'production', runbook: CHECKOUT } };
    const seed = { id: 'alerts', alertmanager: { match: critical, url: `${am.url}/services` } };
    expect(await prober.probe(seed, scope)).toMatchObject({
      passed: false,
      value: 2,
      detail:
        '2 firing alerts match severity=critical in production: Down, Scraped; not counted: 1 of db, 1 with no service or job label',
      alerts: ['s1@2025-03-01T10:00:12.345678901Z', 's2@2025-03-01T10:00:12.345678901Z'],
    });
    // A match naming a service chooses the service itself, as for the webhook.
    const db = {
      id: 'alerts',
      alertmanager: { match: { ...critical, service: 'db' }, url: `${am.url}/services` },
    };
    expect(await prober.probe(db, scope)).toMatchObject({
      value: 1,
      alerts: ['s3@2025-03-01T10:00:12.345678901Z'],
    });
  });

  it('shows no part of a password in a URL that the first line is cut in the middle of', async () => {
    const result = await probe({ id: 'alerts', alertmanager: { match: critical, url: `${am.url}/proxied` } });
    expect(result.detail).toMatch(/^Alertmanager answered HTTP 502: upstream unreachable .*…$/);
    expect(result.detail).not.toContain('Am4l3');
  });

  it('is unknown with the status and first line when Alertmanager answers 500', async () => {
    const result = await probe({ id: 'alerts', alertmanager: { match: critical, url: `${am.url}/broken` } });
    expect(result).toEqual({
      id: 'alerts',
      passed: false,
      unknown: true,
      detail: 'Alertmanager answered HTTP 500: internal error: the alert store is unavailable',
    });
  });
});

describe('createHealthProber', () => {
  it('leaves command checks to the job layer', async () => {
    const prober = createHealthProber({});
    await expect(prober.probe({ id: 'smoke', run: 'true' }, {})).rejects.toThrow(
      'health check smoke runs a command; command checks are run by the job layer',
    );
  });
});
