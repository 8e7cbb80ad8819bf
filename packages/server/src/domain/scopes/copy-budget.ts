import { ApiError } from '../../errors.js';
import type { ScopedTable } from '../../store/entities.js';
import { rowSizesOfScope } from '../../store/scopes.js';
import type { Db } from '../../store/store.js';

/**
 * The default bound on the rows one clone or merge reads: 32 MiB of row text. Both run in one
 * transaction, and SQLite serves every request on one connection, so this bounds how long one
 * clone or merge can hold the whole server (about 1.5 s of copying on a small machine), and how
 * much of the scope it holds in memory.
 */
export const DEFAULT_MAX_SCOPE_COPY_BYTES = 32 * 1024 * 1024;

/** The option that sets the bound, as a refusal names it. */
const OPTION = 'max-scope-copy-bytes';

/**
 * Refuses a clone or merge of `scope` whose rows in `tables` pass `maxBytes` together, measured
 * by the database (`rowSizesOfScope`: characters of text, 8 per other value or NULL) before any
 * row is read, so a scope over the bound never comes into memory. Run it in the copy's
 * transaction, before its reads.
 * @throws ApiError 413 `payload_too_large` naming `field` (the source scope) and the
 *   `max-scope-copy-bytes` option once the tables measured so far pass the bound; the caller's
 *   transaction then rolls back.
 */
export async function assertCopyWithinBudget(
  db: Db,
  scope: string,
  tables: readonly ScopedTable[],
  maxBytes: number = DEFAULT_MAX_SCOPE_COPY_BYTES,
  field = 'scope',
): Promise<void> {
  let total = 0;
  for await (const { bytes } of rowSizesOfScope(db, scope, tables)) {
    total += bytes;
    if (total > maxBytes) {
      throw new ApiError(
        'payload_too_large',
        `the scope holds more than ${maxBytes} bytes of rows, the most one clone or merge ` +
          `copies (${OPTION}); nothing was written`,
        [
          {
            field,
            reason: `holds more than ${maxBytes} bytes of rows (${OPTION}): split the scope, or raise the limit`,
          },
        ],
      );
    }
  }
}
