/**
 * Answers typed on the terminal chat (the dispatcher every chat uses) that end in what to do next: a refusal on a
 * finished deployment names the commands that still help, a decision typed with its words swapped says the right
 * order, `/ack` in a thread acknowledges that thread's incident only, and a second `/incident open` for the same
 * trouble says the cause was added and where to follow it.
 */
import { describe, expect, it } from 'vitest';
import type { Harness } from '../helpers/engine-harness.ts';
import { engineRunbook } from '../helpers/engine-runbooks.ts';
import { useEngineSuite } from '../helpers/engine-suite.ts';
import { threadOf, typeIn } from '../helpers/incident-world.ts';

const suite = useEngineSuite();
const RUNBOOK = engineRunbook("  - { id: ship, title: Ship, needs: [go], run: 'true' }");

/** A deployment of svc v1.0.0 by Ann, waiting for its gate. */
async function started(h: Harness): Promise<string> {
  const outcome = await h.start('v1.0.0', 'ann');
  if (!outcome.ok) throw outcome.error;
  return outcome.deployment.id;
}

describe('what to do next, in words', () => {
  it('a refusal on an aborted deployment names the commands that still help', async () => {
    const h = await suite.start({
      runbook: engineRunbook("  - { id: ship, title: Ship, needs: [go], run: 'sleep 30' }"),
    });
    const hints = (id: string) =>
      `⚠️ deployment ${id} is aborted, so it cannot take that now; \`/deploy start svc v1.0.0 production\` tries it again; \`/deploy status ${id}\` shows how far it got`;
    // Aborted before its step started: nothing was deployed, so there is nothing to roll back.
    const early = await started(h);
    expect(await typeIn(h, 'ann', `/deploy abort ${early}`)).toContain('abort');
    await h.waitFor(early, (d) => d.state === 'aborted');
    expect(await typeIn(h, 'ann', `/deploy pause ${early}`)).toBe(hints(early));

    const id = await started(h);
    const approved = await h.apply(id, { type: 'gate.approve', gate: 'go', by: 'ben' });
    if (!approved.ok) throw approved.error;
    await h.waitFor(id, (d) => d.state === 'running');
    expect(await typeIn(h, 'ann', `/deploy abort ${id}`)).toContain('abort');
    await h.waitFor(id, (d) => d.state === 'aborted');
    expect(await typeIn(h, 'ann', `/deploy pause ${id}`)).toBe(
      `${hints(id)}; \`/rollback ${id}\` undoes what it did`,
    );
  });

  it('/deploy decide with the id before the choice says the right order', async () => {
    const h = await suite.start({ runbook: RUNBOOK });
    const id = await started(h);
    expect(await typeIn(h, 'ann', `/deploy decide ${id} retry`)).toBe(
      `⚠️ the choice comes first, then the deployment: /deploy decide retry ${id}`,
    );
  });

  it('/ack in a deployment’s thread whose incident is resolved asks which one, not the open one elsewhere', async () => {
    const h = await suite.start({ runbook: RUNBOOK });
    const id = await started(h);
    expect(await typeIn(h, 'ann', `/incident open ${id} the shop is down`)).toMatch(/^🚨 INC-1 opened/);
    expect(await typeIn(h, 'ann', '/incident resolve INC-1 fixed')).toMatch(/^✅ INC-1 resolved/);
    expect(await typeIn(h, 'ann', '/incident open svc staging staging is slow')).toMatch(/^🚨 INC-2 opened/);

    const thread = await threadOf(h, id);
    expect(await typeIn(h, 'ben', '/ack', thread)).toBe(
      `⚠️ ${id} has no open incident (INC-1 is resolved); name the incident: /ack <incident> (/incident status lists the open ones)`,
    );
    expect((await h.preflight.engine.incidents.get('INC-2'))?.ack).toBeUndefined();
  });

  it('a second /incident open for the same trouble says the cause was added and where to follow it', async () => {
    const h = await suite.start({ runbook: RUNBOOK });
    expect(await typeIn(h, 'ann', '/incident open svc checkout fails')).toMatch(/^🚨 INC-1 opened/);
    expect(await typeIn(h, 'ben', '/incident open svc payments time out')).toBe(
      'INC-1 is already open for svc production: checkout fails. What you said was added to it as a cause; follow it in #incident.',
    );
    const causes = (await h.preflight.engine.incidents.get('INC-1'))?.causes ?? [];
    expect(causes.map((c) => c.title)).toContain('payments time out');
  });
});
