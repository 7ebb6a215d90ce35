/**
 * Slack end to end: an incident command that names a deployment (`/ack shop-1`) means that deployment's open
 * incident, as a command typed in the deployment's thread does; a deployment with none open is told apart from an
 * incident that does not exist.
 */
import { describe, expect, it } from 'vitest';
import { plainLiterals } from '../../src/core/index.ts';
import { ANN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const suite = useSlackSuite(oneGateRunbook('shop'));

const typed = async (line: string) => {
  const { h } = suite;
  const { tag } = await h.command(ANN, line);
  const answer = await h.waitFor('the answer', () => h.fake.responses.find((r) => r.tag === tag));
  return plainLiterals(String(answer.body.text)).replaceAll('&lt;', '<').replaceAll('&gt;', '>');
};

describe('an incident command naming a deployment', () => {
  it('means its open incident', async () => {
    const { h } = suite;
    await h.command(ANN, '/deploy start shop v1.0.0');
    await h.waitForState('shop-1', ['awaiting_gates']);
    expect(await typed('/ack shop-1')).toBe(
      '⚠️ shop-1 has no open incident; name the incident: /ack <incident> (/incident status lists the open ones)',
    );
    expect(await typed('/incident open shop-1 checkout errors')).toMatch(/^🚨 INC-1 opened in /);

    expect(await typed('/incident status SHOP-1')).toMatch(/^INC-1 open: shop production: checkout errors/);
    expect(await typed('/ack shop-1')).toMatch(/^👀 INC-1 acknowledged by Ann; paging stopped/);
    expect((await h.preflight.engine.incidents.get('INC-1'))?.ack?.by).toBe('ann');
  });
});
