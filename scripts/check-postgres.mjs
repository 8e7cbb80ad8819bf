// Before `npm test`: the suite's `postgres` project needs a PostgreSQL server. Without one, say
// so in one line, with the ways out, instead of vitest's "No test files found".
import pg from 'pg';

const url = process.env.OCTOPOID_TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
try {
  await client.connect();
  await client.end();
} catch (error) {
  const shown = new URL(url);
  if (shown.password) shown.password = '***';
  console.error(
    `npm test runs every test on SQLite and PostgreSQL, and no PostgreSQL answers at ${shown} ` +
      `(${error.code ?? error.message}): start one, set OCTOPOID_TEST_POSTGRES_URL to another, ` +
      'or run the SQLite half alone with `npx vitest run --project sqlite`',
  );
  process.exit(1);
}
