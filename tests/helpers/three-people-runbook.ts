/** Runbooks of Slack tests whose people are Ann, Ben and Cat. */
import { ANN, BEN } from './one-gate-runbook.ts';

export { ANN, BEN };
export const CAT = 'U0CAT0001';

/** `service` in production alone, its two channels and the three people; `rest` (groups, steps …) follows. */
export function threePeopleRunbook(service: string, rest: string): string {
  return `version: 1
service: ${service}
timezone: UTC
environments: { production: { default: true } }
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  ann: { name: Ann, slack: ${ANN} }
  ben: { name: Ben, slack: ${BEN} }
  cat: { name: Cat, slack: ${CAT} }
${rest}`;
}

/**
 * svc with one step and a two-level ladder: Ann and Ben on call (L1: Ann, answering within `l1Within`), Cat the lead
 * (L2, within a minute).
 */
export const twoLevelIncidentRunbook = (l1Within: string): string =>
  threePeopleRunbook(
    'svc',
    `groups: { oncall: [ann, ben], lead: [cat] }
permissions: { deploy: [oncall], rollback: [oncall], incident: [oncall, lead] }
steps:
  - { id: ship, title: Ship, run: "true" }
escalation:
  levels:
    - { id: L1, notify: [ann], via: [mention], respond_within: ${l1Within} }
    - { id: L2, notify: [lead], via: [mention], respond_within: 1m }
`,
  );
