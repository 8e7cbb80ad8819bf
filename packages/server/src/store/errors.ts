/** What a failed statement says about the data, whichever driver raised it. */
export type ConstraintViolation = 'unique' | 'foreign_key' | 'concurrent';

const POSTGRES_CODES: Record<string, ConstraintViolation> = {
  '23505': 'unique',
  '23503': 'foreign_key',
  // A deadlock or serialization failure: PostgreSQL rolled one transaction back, as SQLite's
  // serial writes never need to; the loser gets the same 409 a lost race gets.
  '40P01': 'concurrent',
  '40001': 'concurrent',
};

const SQLITE_CODES: Record<string, ConstraintViolation> = {
  SQLITE_CONSTRAINT_UNIQUE: 'unique',
  SQLITE_CONSTRAINT_PRIMARYKEY: 'unique',
  SQLITE_CONSTRAINT_FOREIGNKEY: 'foreign_key',
};

export function constraintViolation(error: unknown): ConstraintViolation | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  return Object.hasOwn(POSTGRES_CODES, code)
    ? POSTGRES_CODES[code]
    : Object.hasOwn(SQLITE_CODES, code)
      ? SQLITE_CODES[code]
      : undefined;
}

/** Node socket errors of a database that cannot be reached. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
]);

/**
 * Whether a failed statement says the database is unavailable for now rather than that the
 * request is wrong: PostgreSQL connection exceptions (SQLSTATE class 08), insufficient
 * resources (53, e.g. 53300 too many connections), operator intervention (57P01–57P05), a lost
 * or refused socket, a connection that could not be made (`DatabaseUnavailableError`), a log
 * that could not be flushed to disk (`StorageFlushError`), and
 * SQLite's SQLITE_BUSY once its bounded busy wait ran out.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof DatabaseUnavailableError || error instanceof StorageFlushError) return true;
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (/^(08|53)|^57P0[1-5]$/.test(code) || UNREACHABLE_CODES.has(code)) return true;
    if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_')) return true;
  }
  return typeof message === 'string' && /^Connection terminated/.test(message);
}

/** A connection to the database could not be opened (refused, timed out, over its limit). */
export class DatabaseUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`the database refused a connection: ${(cause as Error)?.message ?? String(cause)}`, {
      cause,
    });
    this.name = 'DatabaseUnavailableError';
  }
}

/**
 * The write-ahead log could not be flushed to stable storage (an I/O error from `fdatasync`).
 * The writes it should have made durable are never acknowledged.
 */
export class StorageFlushError extends Error {
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    super(`could not flush ${path} to disk: ${(cause as Error)?.message ?? String(cause)}`, {
      cause,
    });
    this.name = 'StorageFlushError';
  }
}
