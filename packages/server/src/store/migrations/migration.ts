import type { Compilable, Kysely } from 'kysely';
import type { Dialect } from '../store.js';

/**
 * A numbered schema change written once for both dialects. It returns its statements instead of
 * running them, so the migrator can checksum the exact SQL a database receives and detect drift.
 */
export interface Migration {
  id: number;
  name: string;
  statements(db: Kysely<unknown>, dialect: Dialect): Compilable[];
}
