/** `validate` warns about a password written into a tool's own option in a command, not about one a variable holds. */
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, parseRunbook } from '../../../src/core/index.ts';

const runbook = (run: string) => `version: 1
service: shop
timezone: UTC
environments: { production: { default: true } }
channels: { deploy: "#deployments", incident: "#incidents" }
people:
  ana: { name: Ana Lima, slack: U01ANA }
groups: { devops: [ana] }
permissions: { deploy: [devops], rollback: [devops] }
steps:
  - id: dump
    title: Dump
    run: ${JSON.stringify(run)}
escalation:
  levels:
    - { id: L1, notify: [devops], respond_within: 15m }
`;

const warnings = (run: string) => parseRunbook(runbook(run), 'r.yaml').warnings.map(formatDiagnostic);

describe('a password in a tool option of a command', () => {
  it.each([
    'mysqldump -u backup -pS3cretPass shop > /tmp/shop.sql',
    'curl -fsS -u deploy:S3cretPass https://deploy.example/',
    'redis-cli -h cache -a S3cretPass FLUSHALL',
  ])('is warned about: %s', (run) => {
    const found = warnings(run);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain('this command holds what looks like a credential written out');
    expect(found[0]).not.toContain('S3cretPass');
  });

  it.each([
    'mysqldump -u backup -p"$MYSQL_PWD" shop > /tmp/shop.sql',
    'curl -fsS -u "deploy:${DEPLOY_PASSWORD}" https://deploy.example/',
    'redis-cli -h cache -a "$REDIS_PASSWORD" FLUSHALL',
    'mysql -u root -p shop',
    'ssh -p 2222 deploy@host ./restart.sh',
  ])('is not warned about when a variable holds it, or there is none: %s', (run) => {
    expect(warnings(run)).toEqual([]);
  });
});
