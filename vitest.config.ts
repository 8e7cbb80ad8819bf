import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

const source = (pkg: string, entry = 'index') =>
  fileURLToPath(new URL(`./packages/${pkg}/src/${entry}.ts`, import.meta.url));

/**
 * Which project runs each test file is checked by packages/testing/test/vitest-projects.test.ts:
 * add a new file to a list below when it must not run on both backends.
 *
 * Files whose tests do not depend on the storage backend run once, in the sqlite project: pure
 * units, CLI parsing and secrets, the SDK's transport, the API document, the kit's own logic
 * (its subprocess mode, clean-up and run-server tests name their databases themselves), the board.
 */
export const BACKEND_INDEPENDENT = [
  'packages/*/test/unit/**',
  'packages/dashboard/test/board.test.ts',
  'packages/sdk/test/lean-entry.test.ts',
  'packages/sdk/test/transport.test.ts',
  'packages/server/test/cli.test.ts',
  'packages/server/test/cli-secrets.test.ts',
  'packages/server/test/docs.test.ts',
  'packages/server/test/http-connections.test.ts',
  'packages/testing/test/cleanup-policy.test.ts',
  'packages/testing/test/mock-fetch.test.ts',
  'packages/testing/test/run-server.test.ts',
  'packages/testing/test/scope-name.test.ts',
  'packages/testing/test/server-bin.test.ts',
  'packages/testing/test/start-test-server.test.ts',
  'packages/testing/test/verdict.test.ts',
  'packages/testing/test/vitest-projects.test.ts',
  'packages/testing/test/wait-for.test.ts',
];
/** Files that test one backend by name run in that backend's project only. */
export const SQLITE_ONLY = [
  'packages/server/test/migrations.test.ts',
  'packages/server/test/sqlite-one-process.test.ts',
];
export const POSTGRES_ONLY = [
  'packages/server/test/database-clock.test.ts',
  'packages/server/test/database-unavailable.test.ts',
  'packages/server/test/shared-postgres.test.ts',
  'packages/testing/test/interrupted-runs.test.ts',
];

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
    // Every backend-dependent test runs on both storage backends, each project with its own
    // server for the run and private servers on its backend (see docs/testing.md); the rest,
    // type-level tests among them, run once. `--project sqlite` runs all that needs no PostgreSQL.
    projects: [
      {
        extends: true,
        test: { name: 'sqlite', exclude: [...configDefaults.exclude, ...POSTGRES_ONLY] },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          exclude: [...configDefaults.exclude, ...BACKEND_INDEPENDENT, ...SQLITE_ONLY],
          provide: { octopoidDatabase: 'postgres:fresh' },
          typecheck: { enabled: false },
        },
      },
    ],
  },
});
