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
