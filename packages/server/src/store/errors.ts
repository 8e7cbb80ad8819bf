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
