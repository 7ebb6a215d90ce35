/**
 * Slack end to end: a service named in another case than the runbook's (`Shop`, `SHOP` for `shop`) is that service
 * in every command that names one and in an Alertmanager alert's `service` label; answers spell it as the runbook
 * does, and what is stored (deployments, locks, incidents) is keyed by the runbook's name. A name no runbook has
 * (prototype names included) is refused with the services Preflight deploys.
 */
import { describe, expect, it } from 'vitest';
import { gatedShopRunbook } from '../helpers/gated-shop-runbook.ts';
import { routeAlerts, shopDownAlert } from '../helpers/shop-alert.ts';
import { answerText } from '../helpers/slack-answer.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const RUNBOOK = gatedShopRunbook(`  triggers:
    - { id: shop-down, title: Shop down, alertmanager: { match: { severity: critical } } }
`);
const ANN = 'U0ANN0001';

const suite = useSlackSuite(RUNBOOK);

const answer = (line: string) => answerText(suite.h, ANN, line);

describe('a service named in another case', () => {
  it('/deploy start Shop v1.0.0 starts a deployment of shop, and says shop', async () => {
    expect(await answer('/deploy start Shop v1.0.0')).toMatch(
      /^Starting shop-1: shop v1\.0\.0 → production\./,
    );
    expect((await suite.h.preflight.engine.store.get('shop-1'))?.service).toBe('shop');
  }, 60_000);

  it('/deploy history, /deploy plan and /oncall take SHOP and answer about shop', async () => {
    expect(await answer('/deploy history SHOP')).toContain('shop-1');
    expect(await answer('/deploy plan Shop')).not.toMatch(/no runbook/);
    expect(await answer('/oncall Shop')).toMatch(/^shop: incidents go to /);
    expect(await answer('/deploy status Shop')).toMatch(/^⚠️ "shop" is a service, not a deployment/);
  }, 60_000);

  it('/deploy lock and unlock SHOP staging lock and unlock shop staging', async () => {
    expect(await answer('/deploy lock SHOP staging load test')).toMatch(/^🔒 shop staging locked by Ann/);
    expect(await suite.h.preflight.engine.store.lockHolder('shop', 'staging')).toBeDefined();
    expect(await answer('/deploy start shop v1.0.1 staging')).toContain('shop staging is locked by Ann');
    expect(await answer('/deploy unlock Shop staging done')).toBe('🔓 shop staging unlocked.');
    expect(await suite.h.preflight.engine.store.lockHolder('shop', 'staging')).toBeUndefined();
  }, 60_000);

  it('an alert labelled service="Shop" opens the incident of shop', async () => {
    const { h } = suite;
    const res = await routeAlerts(h)(
      shopDownAlert({ service: 'Shop', labels: { environment: 'staging' }, fingerprint: 'f-Shop' }),
    );
    expect(res.status).toBe(200);
    const opened = (await res.json()) as { matched: number; incidents: string[] };
    expect(opened).toMatchObject({ matched: 1 });
    expect(opened.incidents).toHaveLength(1);
    const incident = await h.preflight.engine.incidents.get(opened.incidents[0] ?? '');
    expect(incident).toMatchObject({ service: 'shop', environment: 'staging' });
  }, 60_000);

  it('a service no runbook has is refused with the services Preflight deploys, prototype names too', async () => {
    for (const name of ['Shoe', 'constructor', 'toString', 'hasOwnProperty'])
      expect(await answer(`/deploy start ${name} v1.0.0`)).toMatch(
        /there is no runbook for .*; Preflight deploys shop$/,
      );
    expect(await answer('/oncall Constructor')).toMatch(/Preflight deploys shop$/);
    expect(await answer('/deploy history valueOf')).toMatch(/Preflight deploys shop$/);
    expect(await answer('/deploy lock constructor staging x')).toMatch(/Preflight deploys shop$/);
  }, 60_000);
});
