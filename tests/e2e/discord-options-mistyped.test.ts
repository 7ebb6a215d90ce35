/**
 * Discord end to end: the grammar through slash command options. A deployment id typed wrong in the id option
 * (`toy-l`) is refused with the deployment under way and what to type, with or without the emergency option, and
 * stops nothing; a required option left out (as a client that skips Discord's own check sends it) is named, the
 * last one or one before an option that is given.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DiscordHarness } from '../helpers/discord-harness.ts';
import { ALICE, useDiscordSandbox } from '../helpers/discord-suite.ts';
import { DEPLOY_CHANNEL_ID } from '../helpers/fake-discord.ts';

const harness = useDiscordSandbox();
let h: DiscordHarness;
beforeAll(() => {
  h = harness();
});

const answered = async (sub: string, values: Record<string, string | boolean>) =>
  (await h.answer(h.command(ALICE, 'deploy', sub, values))).content;

describe('options typed wrong on Discord', () => {
  it('a mistyped id is refused with the one under way and what to type, and stops nothing', async () => {
    h.command(ALICE, 'deploy', 'start', { service: 'toy', version: 'v1.9.0' });
    await h.waitFor('the status message', () =>
      h.fake.world.messages.find(
        (m) => m.channel_id === DEPLOY_CHANNEL_ID && m.content.includes('toy v1.9.0'),
      ),
    );
    expect(await answered('abort', { id: 'toy-l', reason: 'wrong build' })).toBe(
      '⚠️ there is no deployment "toy-l"; under way: toy-1; type /deploy abort toy-1 [reason]',
    );
    expect(await answered('abort', { id: 'toy-l', emergency: true })).toBe(
      '⚠️ there is no deployment "toy-l"; under way: toy-1; type /deploy abort toy-1 [reason]',
    );
    // Whatever is typed in the id option names the deployment: never the reason of another's abort.
    expect(await answered('abort', { id: 'latest', reason: 'wrong build' })).toBe(
      '⚠️ there is no deployment "latest"; recent ones: toy-1',
    );
    expect(await answered('pause', { id: 'toy-l' })).toBe(
      '⚠️ there is no deployment "toy-l"; under way: toy-1; type /deploy pause toy-1',
    );
    const d = await h.preflight().engine.store.get('toy-1');
    expect(d?.state).not.toMatch(/aborted|rolling_back/);
    expect(d?.paused).toBe(false);
  });

  it('a required option left out is named, with the usage', async () => {
    expect(await answered('start', { service: 'toy' })).toMatch(/^⚠️ missing <version>\. Usage: /);
    expect(await answered('lock', { service: 'toy' })).toMatch(/^⚠️ missing <environment>\. Usage: /);
    // Left out before one that is given: named all the same, not quoted back as a service "" nobody typed.
    expect(await answered('start', { version: 'v1.9.1' })).toMatch(/^⚠️ missing <service>\. Usage: /);
    // Sent as another type than the text Preflight registered (a client's own payload): not text, so left out.
    expect(await answered('start', { service: true, version: 'v1.9.1' })).toMatch(/^⚠️ missing <service>\. /);
    expect(await answered('lock', { environment: 'staging' })).toMatch(/^⚠️ missing <service>\. Usage: /);
    expect(await answered('unlock', { environment: 'staging', reason: 'fine again' })).toMatch(
      /^⚠️ missing <service>\. Usage: /,
    );
    expect(await answered('decide', { id: 'toy-1' })).toMatch(/^⚠️ missing <retry\|skip\|rollback\|run>\. /);
    const incident = h.command(ALICE, 'incident', 'open', { what: 'the toy answers 500' });
    expect((await h.answer(incident)).content).toMatch(
      /^⚠️ missing <deployment> or <service>: say what is affected\. /,
    );
    expect(await h.preflight().engine.incidents.get('INC-1')).toBeUndefined();
  });
});
