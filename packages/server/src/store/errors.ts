/** What a failed statement says about the data, whichever driver raised it. */
export type ConstraintViolation = 'unique' | 'foreign_key';

const POSTGRES_CODES: Record<string, ConstraintViolation> = {
  '23505': 'unique',
  '23503': 'foreign_key',
};

const SQLITE_CODES: Record<string, ConstraintViolation> = {
  SQLITE_CONSTRAINT_UNIQUE: 'unique',
  SQLITE_CONSTRAINT_PRIMARYKEY: 'unique',
  SQLITE_CONSTRAINT_FOREIGNKEY: 'foreign_key',
};

export function constraintViolation(error: unknown): ConstraintViolation | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  return POSTGRES_CODES[code] ?? SQLITE_CODES[code];
}
