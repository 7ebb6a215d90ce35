/**
 * Slack end to end: a deployment id typed wrong (`shop-l`, letter l for digit 1) is no deployment: every command
 * that names one refuses it, says which are under way and what to type, and changes nothing. Above all,
 * `/deploy abort shop-l` is never read as the abort of the one deployment under way, with "shop-l" as its reason.
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

describe('a deployment id typed wrong', () => {
  it('is refused with the deployments under way and what to type, and stops none', async () => {
    const { h } = suite;
    await h.command(ANN, '/deploy start shop v1.0.0');
    await h.waitForState('shop-1', ['awaiting_gates']);

    expect(await typed('/deploy abort shop-l')).toBe(
      '⚠️ there is no deployment "shop-l"; under way: shop-1; type /deploy abort shop-1 [reason]',
    );
    expect(await typed('/deploy abort Shop-one flaky tests --emergency')).toBe(
      '⚠️ there is no deployment "Shop-one"; under way: shop-1; type /deploy abort shop-1 [reason]',
    );
    expect(await typed('/deploy abort shop1 wrong build')).toBe(
      '⚠️ there is no deployment "shop1"; under way: shop-1; type /deploy abort shop-1 [reason]',
    );
    expect(await typed('/deploy pause shop-l')).toBe(
      '⚠️ there is no deployment "shop-l"; under way: shop-1; type /deploy pause shop-1',
    );
    expect(await typed('/rollback shop-l')).toBe(
      '⚠️ there is no deployment "shop-l"; under way: shop-1; type /rollback shop-1',
    );
    expect(await typed('/deploy decide skip shop-l')).toBe(
      '⚠️ there is no deployment "shop-l"; under way: shop-1; type /deploy decide skip shop-1',
    );
    expect(await typed('/deploy status shop-l')).toBe(
      '⚠️ there is no deployment "shop-l"; under way: shop-1; type /deploy status shop-1',
    );
    expect(await typed('/deploy abort INC-l')).toBe(
      '⚠️ there is no incident "INC-l"; see /incident status for the open ones',
    );
    const d = await h.preflight.engine.store.get('shop-1');
    expect(d?.state).toBe('awaiting_gates');
    expect(d?.paused ?? false).toBe(false);
  });

  it('"help" typed after a command shows how to type it, and aborts nothing', async () => {
    const { h } = suite;
    expect(await typed('/deploy abort help')).toBe(
      '/deploy abort [<id>] [--emergency] [reason]  stop a deployment now; --emergency also runs the runbook emergency stop',
    );
    expect(await typed('/deploy lock --help')).toBe(
      '/deploy lock <service> <environment> [reason] [--for=2h]  stop deployments of a service and environment for a while, with a reason',
    );
    expect(await typed('/deploy help rollback')).toBe(
      "/rollback [<id>]  run the runbook's rollback plan for a deployment",
    );
    expect((await h.preflight.engine.store.get('shop-1'))?.state).toBe('awaiting_gates');
  });

  it('reads a name typed in fullwidth letters (an IME) or holding an invisible character as the name, and a zero-width character between two words as a space', async () => {
    expect(await typed('/deploy status ｓｈｏｐ－１')).toMatch(/^shop-1: shop v1\.0\.0 → production/);
    expect(await typed('/deploy abort ＳＨＯＰ１')).toBe(
      '⚠️ there is no deployment "SHOP1"; under way: shop-1; type /deploy abort shop-1 [reason]',
    );
    expect(await typed('/deploy history shop\u200b')).toMatch(/^shop-1/m);
    // Pasted from a chat client with a zero-width character for the space: two words.
    for (const zw of ['\u200b', '\u2060', '\ufeff'])
      expect(await typed(`/deploy status${zw}shop-1`)).toMatch(/^shop-1: shop v1\.0\.0 → production/);
    expect((await suite.h.preflight.engine.store.get('shop-1'))?.state).toBe('awaiting_gates');
  });
});
