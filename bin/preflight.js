#!/usr/bin/env node
// Node 24 runs the TypeScript sources directly (type stripping); no build step.
const [major] = process.versions.node.split('.').map(Number);
if (major < 24) {
  console.error(
    `preflight needs Node.js 24 or newer (this is ${process.version}); run it through npm (npx preflight, npm run …) so the project's pinned Node 24 is used.`,
  );
  process.exit(2);
}
await import('../src/cli/main.ts');
