#!/usr/bin/env node
// The plugin's own tests, run by `npm test`: on SQLite, then against a server on a fresh
// PostgreSQL database (OCTOPOID_TEST_POSTGRES_URL, as for the vitest suite), dropped after.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createFreshPostgresDatabase } from '@octopoid/testing';

const packageDir = fileURLToPath(new URL('.', import.meta.url));
const python = process.env.PYTHON ?? 'python3';
const NO_TESTS_COLLECTED = 5;

/** Runs pytest on the package and returns its exit code; "no tests collected" is said aloud. */
function pytest(backend, extraArgs) {
  console.log(`\npytest-octopoid tests on ${backend}`);
  const run = spawnSync(python, ['-m', 'pytest', packageDir, ...extraArgs], { stdio: 'inherit' });
  if (run.error) throw new Error(`cannot run ${python} -m pytest: ${run.error.message}`);
  if (run.status === NO_TESTS_COLLECTED) console.error('pytest collected no tests: a failure here');
  return run.status ?? 1;
}

let status = pytest('SQLite', []);
if (status === 0) {
  const database = await createFreshPostgresDatabase(
    process.env.OCTOPOID_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  );
  try {
    status = pytest('PostgreSQL', [`--octopoid-db=${database.url}`]);
  } finally {
    await database.drop();
  }
}
process.exitCode = status;
