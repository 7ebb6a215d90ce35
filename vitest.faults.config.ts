import { defineConfig } from 'vitest/config';

/** `npm run test:faults`: the fault run alone (tests/faults), one long test that prints its figures. */
export default defineConfig({
  test: {
    include: ['tests/faults/**/*.test.ts'],
    environment: 'node',
    testTimeout: 540_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
