import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (pkg: string, entry = 'index') =>
  fileURLToPath(new URL(`./packages/${pkg}/src/${entry}.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    // Workspace packages resolve to their TypeScript sources, so tests never run stale builds.
    alias: [
      { find: /^@octopoid\/api$/, replacement: source('api') },
      { find: /^@octopoid\/api\/constants$/, replacement: source('api', 'constants') },
      { find: /^@octopoid\/server$/, replacement: source('server') },
      { find: /^@octopoid\/sdk$/, replacement: source('sdk') },
      { find: /^@octopoid\/testing$/, replacement: source('testing') },
      { find: /^@octopoid\/testing\/vitest$/, replacement: source('testing', 'vitest') },
    ],
  },
  test: {
    globalSetup: ['packages/testing/src/global-setup.ts'],
    include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    sequence: { concurrent: true },
    testTimeout: 20_000,
    // Type-level tests (`*.test-d.ts`), e.g. SDK result types against the schemas, run with the rest.
    typecheck: {
      enabled: true,
      include: ['packages/*/test/**/*.test-d.ts'],
      tsconfig: './tsconfig.typecheck.json',
    },
    // Every test runs on both storage backends, each with its own server for the run (see
    // docs/testing.md); `--project sqlite` runs one. Type-level tests need running only once.
    projects: [
      { extends: true, test: { name: 'sqlite' } },
      {
        extends: true,
        test: {
          name: 'postgres',
          provide: { octopoidDatabase: 'postgres:fresh' },
          typecheck: { enabled: false },
        },
      },
    ],
  },
});
