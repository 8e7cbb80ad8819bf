import { resolve } from 'node:path';

/**
 * Where the server keeps its data, resolved from the text of `--db` / `OCTOPOID_DATABASE` /
 * `ServerOptions.database`:
 * - `memory`: an in-process SQLite database that ends with the process;
 * - `sqlite-file`: a SQLite file, `path` absolute (a relative path is taken from `cwd`);
 * - `postgres`: a PostgreSQL connection URL, `url` as given.
 */
export type DatabaseLocation =
  | { kind: 'memory' }
  | { kind: 'sqlite-file'; path: string }
  | { kind: 'postgres'; url: string };

/** Thrown for a database location that is not one of the accepted forms or cannot work. */
export class DatabaseLocationError extends Error {
  override name = 'DatabaseLocationError';
}

/** The accepted forms, for messages. */
export const ACCEPTED_DATABASE_FORMS =
  'a SQLite file path (e.g. .octopoid/octopoid.db), :memory:, sqlite:PATH, ' +
  'or a postgres:// or postgresql:// URL';

// Bare words that name a backend or a scheme: as a path they would silently create a SQLite file
// of that name, which is never what was meant.
const BACKEND_WORDS = new Set([
  'memory',
  'mariadb',
  'mongodb',
  'mssql',
  'mysql',
  'pg',
  'postgres',
  'postgresql',
  'sqlite',
  'sqlite3',
]);

// A URL scheme: two or more characters, so a Windows drive letter (`C:\data\x.db`) stays a path.
const SCHEME = /^([a-z][a-z0-9+.-]+):/i;

/**
 * Parses a database location. `source` names where the text came from (`--db`,
 * `OCTOPOID_DATABASE`, `database`) so the message of a refusal points at it.
 *
 * @throws DatabaseLocationError for empty text, a bare backend name (`postgres`), an unknown
 *   scheme (`mysql://…`) or a PostgreSQL URL without a host; the message lists the accepted forms.
 */
export function parseDatabaseLocation(
  text: string,
  source = 'database',
  cwd = process.cwd(),
): DatabaseLocation {
  const refuse = (why: string): never => {
    throw new DatabaseLocationError(
      `${source} ${JSON.stringify(text)} ${why}; use ${ACCEPTED_DATABASE_FORMS}`,
    );
  };
  if (text.trim() === '') return refuse('is empty');
  if (text === ':memory:') return { kind: 'memory' };
  if (BACKEND_WORDS.has(text.toLowerCase())) {
    return refuse('names a backend, not a database');
  }
  const scheme = SCHEME.exec(text)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql') {
    if (!/^postgres(ql)?:\/\//i.test(text)) return refuse('is not a postgres:// URL');
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return refuse('is not a valid URL');
    }
    if (url.hostname === '') return refuse('names no host');
    return { kind: 'postgres', url: text };
  }
  if (scheme === 'sqlite') {
    const rest = text.slice('sqlite:'.length).replace(/^\/\//, '');
    if (rest === '') return refuse('names no file');
    if (rest === ':memory:') return { kind: 'memory' };
    return { kind: 'sqlite-file', path: resolve(cwd, rest) };
  }
  if (scheme !== undefined) return refuse(`has an unsupported scheme "${scheme}:"`);
  return { kind: 'sqlite-file', path: resolve(cwd, text) };
}

/**
 * The location for a log line or message: the absolute SQLite path, `:memory:`, or the
 * PostgreSQL URL with its password masked (`***`) and its query parameters left out.
 */
export function describeDatabaseLocation(location: DatabaseLocation): string {
  switch (location.kind) {
    case 'memory':
      return ':memory:';
    case 'sqlite-file':
      return location.path;
    case 'postgres': {
      const url = new URL(location.url);
      if (url.password) url.password = '***';
      url.search = '';
      return url.toString();
    }
  }
}
