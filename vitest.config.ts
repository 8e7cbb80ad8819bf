import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (pkg: string) =>
  fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    // Workspace packages resolve to their TypeScript sources, so tests never run stale builds.
    alias: {
      '@octopoid/api': source('api'),
      '@octopoid/server': source('server'),
      '@octopoid/sdk': source('sdk'),
      '@octopoid/testing': source('testing'),
    },
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
          provide: { octopoidDatabase: 'postgres' },
          typecheck: { enabled: false },
        },
      },
    ],
  },
});
