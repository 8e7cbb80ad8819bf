import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources, so tests never run stale builds.
const conditions = ['source', 'import', 'module', 'node', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['source'] } },
  test: {
    globalSetup: ['packages/testing/src/global-setup.ts'],
    include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    sequence: { concurrent: true },
    testTimeout: 20_000,
  },
});
