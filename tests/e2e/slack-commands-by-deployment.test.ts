/**
 * Slack end to end: commands about a service take a deployment's id for its service (`/oncall shop-1`, `/deploy
 * history shop-1`); an id that names no deployment (`shop-l`, `shop-9`) is answered with the deployments under way
 * and what to type, by these and by `/incident open`, never as an unknown service.
 */
import { describe, expect, it } from 'vitest';
import { plainLiterals } from '../../src/core/index.ts';
import { ANN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const suite = useSlackSuite(oneGateRunbook('shop', { staging: true }));

const typed = async (line: string) => {
  const { h } = suite;
  const { tag } = await h.command(ANN, line);
  const answer = await h.waitFor('the answer', () => h.fake.responses.find((r) => r.tag === tag));
  return plainLiterals(String(answer.body.text)).replaceAll('&lt;', '<').replaceAll('&gt;', '>');
};

describe('a deployment named where a service is asked for', () => {
  it('/oncall and /deploy history read it as its service and environment', async () => {
    const { h } = suite;
    await h.command(ANN, '/deploy start shop v1.0.0 staging');
    await h.waitForState('shop-1', ['awaiting_gates']);

    const oncall = await typed('/oncall shop-1');
    expect(oncall.split('\n')[0]).toMatch(/^shop-1 \(shop staging\): incidents go to /);
    expect(oncall).toContain('  L1: Ann (mention; answers within 15m)');
    expect(await typed('/deploy history SHOP-1')).toMatch(/^shop staging:\nshop-1 /);
    // A service is still a service.
    expect(await typed('/oncall shop')).toMatch(/^shop: incidents go to /);
  });

  it('an id naming no deployment gets the ones under way and what to type', async () => {
    expect(await typed('/oncall shop-l')).toBe(
      '⚠️ there is no deployment "shop-l"; under way: shop-1; type /oncall shop-1',
    );
    expect(await typed('/deploy history shop-9')).toBe(
      '⚠️ there is no deployment "shop-9"; under way: shop-1; type /deploy history shop-1',
    );
    expect(await typed('/incident open shop-l checkout is down')).toBe(
      '⚠️ there is no deployment "shop-l"; under way: shop-1; type /incident open shop-1 <what happened>',
    );
    expect(await suite.h.preflight.engine.incidents.list({ openOnly: true, limit: 5 })).toEqual([]);
    // A word that is no id is still an unknown service.
    expect(await typed('/oncall nosuch')).toMatch(/^⚠️ there is no runbook for "nosuch"/);
  });
});
