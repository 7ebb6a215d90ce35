/** A Slack runbook whose deployment goes live at once and is watched for ten minutes, with monitoring tasks. */

export const ANN = 'U0ANN0001';
export const BEN = 'U0BEN0001';

/** `tasks`: the watch period's tasks, as YAML flow (`[{ title: Read the logs, owner: [ops] }]`). */
export function watchedRunbook(tasks: string): string {
  return `version: 1
service: watched
timezone: UTC
environments: { production: { default: true } }
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  ann: { name: Ann, slack: ${ANN} }
  ben: { name: Ben, slack: ${BEN} }
groups: { ops: [ann, ben] }
permissions: { deploy: [ops], rollback: [ops] }
steps:
  - { id: build, title: Build, run: "true" }
monitoring:
  - id: watch
    title: First minutes
    from: 0s
    to: 10m
    every: 1m
    tasks: ${tasks}
rollback:
  steps:
    - { id: undo, title: Undo, run: "true" }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`;
}
