/** `preflight validate` reads health checks' and rollback triggers' PromQL the way Prometheus does. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/load-runbook.ts';

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'preflight-validate-promql-'));
});
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

/** A runbook whose health check `api-errors` (line 20) and trigger `errors-up` (line 27) run these queries. */
function runbook(check: string, trigger: string): string {
  return `version: 1
service: shop
timezone: Europe/Berlin
environments:
  production: { default: true }
channels: { deploy: "#deployments", incident: "#incidents" }
people:
  ana: { name: Ana Lima, slack: U01ANA }
permissions:
  deploy: [ana]
  rollback: [ana]
steps:
  - id: deploy
    title: Deploy the new version
    run: ./deploy.sh
health:
  - id: api-errors
    prometheus:
      url: http://127.0.0.1:9090
      query: ${JSON.stringify(check)}
      expect: "< 0.05"
rollback:
  triggers:
    - id: errors-up
      prometheus:
        url: http://127.0.0.1:9090
        query: ${JSON.stringify(trigger)}
      worse_than_baseline: 50%
  steps:
    - id: undo
      run: ./rollback.sh
escalation:
  levels:
    - { id: L1, notify: [ana], respond_within: 15m }
`;
}

function preflight(args: string[], env: Record<string, string> = {}) {
  return execa(join(repoRoot, 'node_modules/.bin/node'), [join(repoRoot, 'bin/preflight.js'), ...args], {
    cwd: scratch,
    reject: false,
    timeout: 30_000,
    env: { NO_COLOR: '1', RUNBOOK: '', ...env },
  });
}

async function validate(name: string, text: string) {
  writeFileSync(join(scratch, name), text);
  return preflight(['validate', name]);
}

describe('preflight validate on PromQL queries', () => {
  it('a broken query in a health check and in a trigger: exit 1, one error each at its query, saying what and where', async () => {
    const run = await validate(
      'broken.yaml',
      runbook('sum(rate(http_requests_total{code=~"5.."}[5m]) / sum(rate(http_requests_total[5m]))', 'up =='),
    );
    expect(run.stderr.trim().split('\n')).toEqual([
      'broken.yaml:20:14: PromQL: unclosed parenthesis at column 4 of the query; the "(" there is never closed: add the ")" that closes it',
      'broken.yaml:27:16: PromQL: incomplete expression after "==" at column 4 of the query; the query ends there, and an expression must follow it',
    ]);
    expect(run.exitCode).toBe(1);
  });

  it.each([
    ['rate(http_requests_total[5m]', 'unclosed parenthesis at column 5 of the query'],
    ['sum by (job) (', 'unclosed parenthesis at column 14 of the query'],
    ['rate(http_requests_total[5m]))', 'unmatched closing parenthesis at column 30 of the query'],
    ['rate(http_requests_total[5m)', '")" where "]" is expected at column 28 of the query'],
    ['up{job="api}', 'unclosed string at column 8 of the query'],
    ['rates(http_requests_total[5m])', 'unknown function "rates" at column 1 of the query'],
    ['up{job="api"} foo', 'unexpected "foo" after "}" at column 15 of the query'],
  ])('%s: exit 1, says %s', async (query, said) => {
    const run = await validate('one.yaml', runbook(query, 'up == 0'));
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^one\.yaml:20:14: PromQL: /);
    expect(lines[0]).toContain(said);
    expect(run.exitCode).toBe(1);
  });

  it('valid queries with by, offset, @, subqueries and histogram_quantile: exit 0', async () => {
    const run = await validate(
      'valid.yaml',
      runbook(
        'histogram_quantile(0.99, sum by (le, job) (rate(http_request_duration_seconds_bucket{job=~"api|web", code!="404"}[5m] offset 1h @ 1609746000)))',
        'max_over_time(sum without (instance) (rate(http_requests_total{code=~"5.."}[1m]))[30m:1m] @ end()) > bool 0 # errors up',
      ),
    );
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('valid.yaml');
    expect(run.exitCode).toBe(0);
  });

  it('preflight start refuses a runbook with a broken query, with the line validate writes', async () => {
    writeFileSync(join(scratch, 'start.yaml'), runbook('up{job="api"} ==', 'up == 0'));
    const run = await preflight(['start'], {
      RUNBOOK: 'start.yaml',
      REDIS_URL: '',
      SLACK_BOT_TOKEN: '',
      DISCORD_BOT_TOKEN: '',
    });
    expect(run.stderr).toContain(
      'start.yaml:20:14: PromQL: incomplete expression after "==" at column 15 of the query;',
    );
    expect(run.exitCode).toBe(1);
  });
});
