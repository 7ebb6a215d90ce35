/**
 * Slack end to end, an Alertmanager alert's life as the webhook tells it: a 'resolved' with no firing before it opens
 * nothing, posts nothing and logs no error; an alert that fires, resolves and fires again (a minute later, or the
 * same firing re-sent after its 'resolved', as Alertmanager does once Prometheus reaches it again) fires again on its
 * open incident (paging resumes, once however many deliveries race), or opens a new incident once a person resolved
 * the first; a firing repeated before its 'resolved' opens nothing; an alert Alertmanager says is firing counts as
 * firing whatever its endsAt says.
 */
import { describe, expect, it } from 'vitest';
import { INCIDENT_CHANNEL } from '../helpers/fake-slack-methods.ts';
import { routeAlerts, shopDownAlert, shopRunbook } from '../helpers/shop-alert.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const ANN = 'U0ANN0001';

const RUNBOOK = shopRunbook({
  people: { ann: ANN },
  environments: '{ production: { default: true }, staging: {}, qa: {}, dev: {}, perf: {}, load: {} }',
  levels: ['{ id: L1, notify: [ops], respond_within: 1m }', '{ id: L2, notify: [ops], respond_within: 1h }'],
});

const suite = useSlackSuite(RUNBOOK);

interface Answer {
  readonly incidents: string[];
  readonly resolved?: string[];
}

/** ShopDown in `environment`, firing or resolved, started at `startsAt`. */
function shopDown(
  environment: string,
  status: 'firing' | 'resolved',
  startsAt = '2026-01-07T06:00:00Z',
  endsAt?: string,
) {
  const payload = shopDownAlert({ status, labels: { environment } });
  return {
    ...payload,
    alerts: payload.alerts.map((a) => ({ ...a, startsAt, ...(endsAt !== undefined && { endsAt }) })),
  };
}

async function posted(post: ReturnType<typeof routeAlerts>, payload: unknown): Promise<Answer> {
  const res = await post(payload);
  expect(res.status).toBe(200);
  return (await res.json()) as Answer;
}

const incidentPosts = (h: typeof suite.h, id?: string) =>
  h.fake.messages.filter((m) => m.channel === INCIDENT_CHANNEL && (id === undefined || m.text.includes(id)));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("an alert's 'resolved' with no firing before it", () => {
  it('opens nothing, posts nothing and logs no error', async () => {
    const { h } = suite;
    const post = routeAlerts(h);
    const before = h.fake.messages.length;
    const logged = h.logs.length;
    expect(await posted(post, shopDown('staging', 'resolved'))).toMatchObject({ incidents: [] });
    await sleep(1_000);
    expect(await h.preflight.engine.incidents.list({ service: 'shop' })).toEqual([]);
    expect(h.fake.messages.slice(before)).toEqual([]);
    expect(h.logs.slice(logged).filter((l) => /"level":(40|50|60)/.test(l))).toEqual([]);
  }, 30_000);
});

describe('an alert that fires, resolves and fires again a minute later', () => {
  it('fires again on its open incident: said in its thread, paging resumes; no second incident', async () => {
    const { h } = suite;
    const post = routeAlerts(h);
    const [id = ''] = (await posted(post, shopDown('production', 'firing'))).incidents;
    expect(id).not.toBe('');
    await h.waitFor('the incident posted', () => incidentPosts(h, id).length > 0);
    expect((await posted(post, shopDown('production', 'resolved'))).resolved).toEqual([id]);
    await h.waitFor('the clear said in its thread', () =>
      h.fake.messages.find(
        (m) => m.threadTs && m.text.includes('Cleared: Alertmanager reports ShopDown resolved'),
      ),
    );
    expect((await h.preflight.engine.incidents.get(id))?.next).toBeUndefined();
    const again = await posted(post, shopDown('production', 'firing', '2026-01-07T06:04:00Z'));
    expect(again.incidents).toEqual([]);
    await h.waitFor('"fired again" in its thread', () =>
      h.fake.messages.find((m) => m.threadTs && m.text.includes(`${id} fired again`)),
    );
    const refired = await h.preflight.engine.incidents.get(id);
    expect(refired?.cleared).toBeUndefined();
    expect(refired?.next).toMatchObject({ level: 1 });
    const open = await h.preflight.engine.incidents.list({ service: 'shop', openOnly: true });
    expect(open.filter((i) => i.environment === 'production').map((i) => i.id)).toEqual([id]);
  }, 30_000);

  it('after a person resolved its incident, opens a new incident posted in Slack', async () => {
    const { h } = suite;
    const post = routeAlerts(h);
    const [first = ''] = (await posted(post, shopDown('qa', 'firing'))).incidents;
    expect(first).not.toBe('');
    const typed = await h.command(ANN, `/incident resolve ${first}`);
    await h.waitFor('the resolve answered', () => h.fake.responses.find((r) => r.tag === typed.tag));
    expect((await h.preflight.engine.incidents.get(first))?.state).toBe('resolved');
    // Alertmanager's repeat of the firing before its 'resolved' opens nothing; the one after it is a new outage.
    expect((await posted(post, shopDown('qa', 'firing'))).incidents).toEqual([]);
    await posted(post, shopDown('qa', 'resolved'));
    const [second = ''] = (await posted(post, shopDown('qa', 'firing'))).incidents;
    expect(second).not.toBe('');
    expect(second).not.toBe(first);
    await h.waitFor('the new incident posted', () =>
      incidentPosts(h, second).find((m) => !m.threadTs && m.text.includes('Shop down')),
    );
    await h.waitFor('L1 paged for it', () =>
      h.fake.messages.find((m) => m.threadTs && m.text.includes(`<@${ANN}>`) && m.text.includes(second)),
    );
  }, 30_000);
});

describe("the same firing delivered again after its 'resolved' (Alertmanager re-sends an alert still active)", () => {
  it('fires again on its open incident once, even when two deliveries race: paging resumes', async () => {
    const { h } = suite;
    const post = routeAlerts(h);
    const [id = ''] = (await posted(post, shopDown('perf', 'firing', '2026-01-07T07:00:00Z'))).incidents;
    expect(id).not.toBe('');
    await h.waitFor('the incident posted', () => incidentPosts(h, id).length > 0);
    // A repeat before the 'resolved' opens nothing and says nothing.
    expect((await posted(post, shopDown('perf', 'firing', '2026-01-07T07:00:00Z'))).incidents).toEqual([]);
    expect((await posted(post, shopDown('perf', 'resolved', '2026-01-07T07:00:00Z'))).resolved).toEqual([id]);
    expect((await h.preflight.engine.incidents.get(id))?.next).toBeUndefined();
    const again = await Promise.all([
      posted(post, shopDown('perf', 'firing', '2026-01-07T07:00:00Z')),
      posted(post, shopDown('perf', 'firing', '2026-01-07T07:00:00Z')),
    ]);
    expect(again.flatMap((a) => a.incidents)).toEqual([]);
    await h.waitFor('"fired again" in its thread', () =>
      h.fake.messages.find((m) => m.threadTs && m.text.includes(`${id} fired again`)),
    );
    const refired = await h.preflight.engine.incidents.get(id);
    expect(refired?.cleared).toBeUndefined();
    expect(refired?.next).toMatchObject({ level: 1 });
    await sleep(1_000);
    expect(h.fake.messages.filter((m) => m.text.includes(`${id} fired again`))).toHaveLength(1);
    const open = await h.preflight.engine.incidents.list({ service: 'shop', openOnly: true });
    expect(open.filter((i) => i.environment === 'perf').map((i) => i.id)).toEqual([id]);
  }, 30_000);
});

describe("an alert that joined an open incident, re-sent firing after its 'resolved'", () => {
  it('fires again on that incident: its other alert resolving no longer clears it', async () => {
    const { h } = suite;
    const post = routeAlerts(h);
    const alert = (fingerprint: string, status: 'firing' | 'resolved') => {
      const payload = shopDownAlert({
        status,
        fingerprint,
        labels: { environment: 'load', instance: fingerprint },
      });
      return { ...payload, alerts: payload.alerts.map((a) => ({ ...a, startsAt: '2026-01-07T08:00:00Z' })) };
    };
    const [id = ''] = (await posted(post, alert('aaaa', 'firing'))).incidents;
    expect(id).not.toBe('');
    await posted(post, alert('bbbb', 'firing'));
    await posted(post, alert('bbbb', 'resolved'));
    await posted(post, alert('bbbb', 'firing'));
    expect((await posted(post, alert('aaaa', 'resolved'))).resolved).toBeUndefined();
    const incident = await h.preflight.engine.incidents.get(id);
    expect(incident?.alerts).toEqual(['bbbb@2026-01-07T08:00:00Z']);
    expect(incident?.next).toBeDefined();
  }, 30_000);
});

describe("an alert whose status is 'firing' and endsAt in the past", () => {
  it('counts as firing (the status is what Alertmanager decided): it opens an incident', async () => {
    const { h } = suite;
    const post = routeAlerts(h);
    const payload = shopDown('dev', 'firing', '2026-01-07T06:00:00Z', '2026-01-07T06:03:00Z');
    const [id = ''] = (await posted(post, payload)).incidents;
    expect(id).not.toBe('');
    await h.waitFor('the incident posted', () => incidentPosts(h, id).length > 0);
  }, 30_000);
});
