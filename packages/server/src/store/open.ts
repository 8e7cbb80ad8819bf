import type { DatabaseLocation } from './location.js';
import type { Store } from './store.js';

/**
 * Opens the store at a location parsed by `parseDatabaseLocation`; a SQLite file should have
 * passed `prepareSqliteFile` first. `postgresPoolSize`: the connections a PostgreSQL store may
 * hold (default 10); SQLite uses one. Each adapter loads only when asked for, so a SQLite server
 * never loads the PostgreSQL driver and the reverse.
 *
 * @throws DatabaseLocationError when a SQLite file cannot be opened or is not a database.
 * @throws DatabaseInUseError when another process holds the SQLite file.
 */
export async function openStore(
  location: DatabaseLocation,
  options: { postgresPoolSize?: number | undefined } = {},
): Promise<Store> {
  if (location.kind === 'postgres') {
    const { openPostgresStore } = await import('./postgres.js');
    return openPostgresStore(location.url, options.postgresPoolSize);
  }
  const { openSqliteStore } = await import('./sqlite.js');
  return openSqliteStore(location.kind === 'memory' ? ':memory:' : location.path);
}
