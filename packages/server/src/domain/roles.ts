import type { Kysely } from 'kysely';
import { ApiError } from '../errors.js';
import type { Database } from '../store/schema.js';

/** Once a scope registers roles, tasks and claims may only name those roles. */
export async function assertKnownRoles(
  db: Kysely<Database>,
  scope: string,
  names: readonly string[],
  field: string,
): Promise<void> {
  if (names.length === 0) return;
  const registered = await db
    .selectFrom('roles')
    .select('name')
    .where('scope', '=', scope)
    .execute();
  if (registered.length === 0) return;
  const known = new Set(registered.map((r) => r.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw ApiError.invalid(
      field,
      `unknown role ${unknown.join(', ')}: this scope has ${[...known].join(', ')}`,
    );
  }
}

/** The queue a role claims from, when the scope registered that role. */
export async function claimsFrom(
  db: Kysely<Database>,
  scope: string,
  role: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('roles')
    .select('claims_from')
    .where('scope', '=', scope)
    .where('name', '=', role)
    .executeTakeFirst();
  return row?.claims_from;
}
