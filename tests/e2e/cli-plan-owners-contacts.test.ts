/**
 * `preflight plan` shows who does each post-deployment task and whom to reach in an incident (the runbook's contacts
 * and emergency contact), in text and in --json.
 */
import { describe, expect, it } from 'vitest';
import { planOn } from '../helpers/plan-cli.ts';

const plan = planOn(
  'shop.yaml',
  `version: 1
service: shop
timezone: UTC
environments: { production: { default: true } }
channels: { deploy: "#d", incident: "#i" }
people:
  ana: { name: Ana, slack: U1 }
  bo: { name: Bo, slack: U2 }
groups: { devops: [ana] }
permissions: { deploy: [ana], rollback: [ana] }
contacts:
  - { team: DevOps, email: ops@example.com }
  - { team: Emergency, channel: "#incident-response", phone: "+1 415 555 0100" }
steps:
  - { id: go, title: Go, run: ./deploy.sh }
monitoring:
  - id: hour-1
    title: Hour 1
    from: 0h
    to: 1h
    owner: [devops]
    tasks: [Check error logs, { title: Review user feedback, owner: [bo] }]
  - { id: later, title: Later, from: 1h, to: 2h, tasks: [Nobody named] }
escalation: { levels: [{ id: L1, notify: [ana], respond_within: 15m }] }
emergency:
  stop: { run: docker compose down }
  contact: { channel: "#incident-response", phone: "+1 415 555 0100" }
`,
);

describe('preflight plan: post-deployment owners and contacts', () => {
  it('text: each task names its owner; the emergency contact and the contacts are listed', async () => {
    const { stdout } = await plan('--start', '2026-01-07T14:00:00Z');
    const lines = stdout.split('\n');
    expect(lines).toContain('    - Check error logs — owner: devops');
    expect(lines).toContain('    - Review user feedback — owner: bo');
    expect(lines).toContain('    - Nobody named');
    expect(lines).toContain('  contact: #incident-response · +1 415 555 0100');
    const contacts = lines.slice(lines.indexOf('Contacts'));
    expect(contacts.slice(0, 3).map((l) => l.trim().split(/\s{2,}/))).toEqual([
      ['Contacts'],
      ['DevOps', 'ops@example.com'],
      ['Emergency', '#incident-response · +1 415 555 0100'],
    ]);
  });

  it('JSON: the same owners and contacts', async () => {
    const json = JSON.parse((await plan('--json', '--start', '2026-01-07T14:00:00Z')).stdout);
    expect(
      json.monitoring[0].tasks.map((t: { title: string; ownerRefs: string[]; owners: { id: string }[] }) => [
        t.title,
        t.ownerRefs,
        t.owners.map((p) => p.id),
      ]),
    ).toEqual([
      ['Check error logs', ['devops'], ['ana']],
      ['Review user feedback', ['bo'], ['bo']],
    ]);
    expect(json.monitoring[1].tasks).toEqual([{ title: 'Nobody named', ownerRefs: [], owners: [] }]);
    expect(json.contacts).toEqual([
      { team: 'DevOps', email: 'ops@example.com' },
      { team: 'Emergency', channel: '#incident-response', phone: '+1 415 555 0100' },
    ]);
    expect(json.emergency.contact).toEqual({ channel: '#incident-response', phone: '+1 415 555 0100' });
  });
});
