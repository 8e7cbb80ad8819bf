import type { Dialect } from '../store.js';

/**
 * A numbered schema change, shipped as one SQL file per dialect
 * (`migrations/<dialect>/<0001-name>.sql`): statements each ending in `;` and a newline (so a
 * statement cannot itself hold `;` at the end of a line).
 */
export interface Migration {
  id: number;
  name: string;
  dialect: Dialect;
  /** The file's text, exactly as shipped; the migrator hashes it and splits it into statements. */
  text: string;
}
