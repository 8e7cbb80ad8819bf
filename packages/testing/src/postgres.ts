import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface FreshDatabase {
  /** Connection URL of the new, empty database. */
  url: string;
  /** Drops the database (closing connections other clients left open). */
  drop(): Promise<void>;
}

/**
 * Creates an empty, uniquely named PostgreSQL database through an admin connection, so a test
 * run gets the real migrations on a clean schema and never inherits another run's state.
 */
export async function createFreshPostgresDatabase(adminUrl: string): Promise<FreshDatabase> {
  const name = `octopoid_test_${Date.now()}_${randomBytes(4).toString('hex')}`;
  await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await withAdmin(adminUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      );
    },
  };
}

async function withAdmin<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect().catch((error: NodeJS.ErrnoException) => {
    throw new Error(
      `cannot reach PostgreSQL at ${redact(adminUrl)} (${error.code ?? error.message}) to ` +
        'create a fresh test database: start it, or set OCTOPOID_TEST_POSTGRES_URL to another server',
      { cause: error },
    );
  });
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
