import type pg from 'pg';

/**
 * The PostgreSQL driver (node-postgres), loaded on first use rather than imported: a SQLite
 * server never loads it. A static import would load it at every start once bundled, since the
 * CLI bundle leaves the package outside and hoists its import to the top of the one file.
 */
export async function loadPostgresDriver(): Promise<typeof pg> {
  return (await import('pg')).default;
}
