/** The runbook most Slack end-to-end tests deploy: one gate `go` that Ann or Ben approves, then one trivial step. */

export const ANN = 'U0ANN0001';
export const BEN = 'U0BEN0001';

export function oneGateRunbook(
  service: string,
  options: {
    staging?: boolean;
    step?: string;
    /** A rollback waits for one approval from ops, the asker's own counting. */
    rollbackApproval?: boolean;
  } = {},
): string {
  const environments = options.staging
    ? '{ production: { default: true }, staging: {} }'
    : '{ production: { default: true } }';
  const step = options.step ?? 'build';
  const title = step.charAt(0).toUpperCase() + step.slice(1);
  const approval = options.rollbackApproval
    ? '  approval: { approvers: [ops], required: 1, allow_self: true }\n'
    : '';
  return `version: 1
service: ${service}
timezone: UTC
environments: ${environments}
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  ann: { name: Ann, slack: ${ANN} }
  ben: { name: Ben, slack: ${BEN} }
groups: { ops: [ann, ben] }
permissions: { deploy: [ops], rollback: [ops] }
gates:
  go: { title: Go, approvers: [ops], required: 1 }
steps:
  - { id: ${step}, title: ${title}, needs: [go], run: "true" }
rollback:
${approval}  steps:
    - { id: undo, title: Undo, run: "true" }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`;
}
