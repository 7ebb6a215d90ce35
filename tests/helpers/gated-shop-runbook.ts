/** Shop in production (the default) and staging, Ann alone in ops, every deployment behind a gate she may pass. */
export function gatedShopRunbook(rollbackTriggers = ''): string {
  return `version: 1
service: shop
timezone: UTC
environments: { production: { default: true }, staging: {} }
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  ann: { name: Ann, slack: U0ANN0001 }
groups: { ops: [ann] }
permissions: { deploy: [ops], rollback: [ops], lock: [ops], incident: [ops] }
gates:
  release: { approvers: [ops], required: 1, allow_self: true }
steps:
  - { id: build, title: Build, run: "true", needs: [release] }
rollback:
${rollbackTriggers}  steps:
    - { id: undo, title: Undo, run: "true" }
escalation: { levels: [{ id: L1, notify: [ops], respond_within: 15m }] }
`;
}
