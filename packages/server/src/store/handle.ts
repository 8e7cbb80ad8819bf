import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { Capabilities, Db } from './store.js';

/**
 * Gives a Kysely instance (a pool's, or one transaction's) its database's capabilities, so the
 * queries it is handed can adapt. Each transaction is a fresh instance and gets them anew.
 */
export function withCapabilities(db: Kysely<Database>, capabilities: Capabilities): Db {
  return Object.assign(db, { capabilities });
}
