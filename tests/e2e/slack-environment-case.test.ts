/**
 * Slack end to end: an environment typed in another case than the runbook's (`Staging`, `STAGING` for `staging`)
 * is that environment in every command a person names one in, never a part of what happened, never the default
 * environment, never refused; a name the runbook does not have is refused with the names it has.
 */
import { describe, expect, it } from 'vitest';
import { gatedShopRunbook } from '../helpers/gated-shop-runbook.ts';
import { answerText } from '../helpers/slack-answer.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const RUNBOOK = gatedShopRunbook();
const ANN = 'U0ANN0001';

const suite = useSlackSuite(RUNBOOK);

const answer = (line: string) => answerText(suite.h, ANN, line);

describe('an environment typed in another case', () => {
  it('/incident open shop Staging … declares it for staging, with what happened as typed after it', async () => {
    expect(await answer('/incident open shop Staging db down')).toMatch(/ for shop staging; paging L1\.$/);
    const [incident] = await suite.h.preflight.engine.incidents.list({ limit: 10 });
    expect(incident).toMatchObject({ service: 'shop', environment: 'staging', title: 'db down' });
    expect(await answer(`/incident resolve ${incident?.id} fixed`)).toContain(incident?.id);
  }, 60_000);

  it('/incident open --environment=STAGING … is staging too', async () => {
    expect(await answer('/incident open shop --environment=STAGING cache cold')).toMatch(
      / for shop staging;/,
    );
    const open = await suite.h.preflight.engine.incidents.list({ openOnly: true, limit: 10 });
    expect(open.map((i) => [i.environment, i.title])).toEqual([['staging', 'cache cold']]);
  }, 60_000);

  it('/deploy lock and unlock shop Staging lock and unlock staging', async () => {
    expect(await answer('/deploy lock shop Staging load test')).toContain('shop staging');
    expect(await suite.h.preflight.engine.store.lockHolder('shop', 'staging')).toBeDefined();
    expect(await answer('/deploy unlock shop STAGING done')).toContain('shop staging');
    expect(await suite.h.preflight.engine.store.lockHolder('shop', 'staging')).toBeUndefined();
  }, 60_000);

  it('/deploy start shop v1 Staging deploys to staging', async () => {
    expect(await answer('/deploy start shop v1.0.0 Staging')).toMatch(
      /^Starting shop-1: shop v1\.0\.0 → staging\./,
    );
    expect((await suite.h.preflight.engine.store.get('shop-1'))?.environment).toBe('staging');
  }, 60_000);

  it('a name the runbook does not have is refused with the names it has, everywhere', async () => {
    expect(await answer('/deploy start shop v1.0.1 qa')).toContain(
      'this runbook deploys to production, staging',
    );
    expect(await answer('/deploy lock shop QA load test')).toContain(
      'this runbook deploys to production, staging',
    );
    expect(await answer('/incident open shop --environment=qa db down')).toContain(
      'its runbook has production, staging',
    );
  }, 60_000);
});
