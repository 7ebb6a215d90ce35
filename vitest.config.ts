import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // The fault run has its own command (npm run test:faults).
    exclude: ['tests/faults/**', '**/node_modules/**'],
    environment: 'node',
    // Scenario tests run whole deployments on a 2-core machine (up to ~26 s under CI load); a timeout only
    // catches a hang, so it leaves room for a busy machine rather than failing a slow but correct run.
    testTimeout: 90_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
