import type { ScopeCloned } from '@octopoid/api';
import type { Insertable } from 'kysely';
import { ApiError } from '../../errors.js';
import {
  SCOPED_ENTITIES,
  SCOPED_TABLES,
  type ScopedEntity,
  type ScopedTable,
} from '../../store/entities.js';
import type { Database } from '../../store/schema.js';
import { insertRows, pagesOfScope, type ScopedRow } from '../../store/scopes.js';
import type { Db } from '../../store/store.js';
import type { ScopeContext } from '../context.js';
import { assertCopyWithinBudget } from './copy-budget.js';
import { otherScope } from './other-scope.js';
import { zeroCounts } from './purge.js';
import { scopeSummary } from './summary.js';

/** The registry's tables a clone copies, parents first, so every foreign key finds its row. */
const COPY_ORDER = SCOPED_TABLES.filter((table) => SCOPED_ENTITIES[table].cloned);

/** The row as it reads in `scope`; a row keyed by a server-wide sequence takes a fresh key. */
function relocated<T extends ScopedTable>(
  table: T,
  row: ScopedRow<T>,
  scope: string,
): Insertable<Database[T]> {
  const { key, sequenceKey } = SCOPED_ENTITIES[table] as ScopedEntity<ScopedTable>;
  const { [key]: _sequence, ...kept } = row as Record<string, unknown>;
  const copy: Record<string, unknown> = { ...(sequenceKey ? kept : row), scope };
  return copy as Insertable<Database[T]>;
}

/** Refuses a target that already holds anything: a clone never mixes with existing entities. */
async function assertEmpty(tx: Db, scope: string, field: string): Promise<void> {
  if (await scopeSummary(tx, scope)) {
    throw ApiError.conflict(`scope ${scope} already holds entities`, [
      { field, reason: 'must name an empty scope' },
    ]);
  }
}

/**
 * Copies every entity of the scope into an empty scope in one transaction, keeping every id
 * (draft numbers and message and action ids included), so every reference stays valid. The
 * scope's size is checked against the server's copy budget before any row is read; rows are then
 * read and written a page at a time.
 * @throws `ApiError` 404 when the source scope holds no entity; 409 `conflict` when the target
 *   already holds entities or gains some during the clone; 400 when the target is the source;
 *   413 `payload_too_large` (naming `scope`) when the source holds more than the copy budget
 */
export function cloneScope(ctx: ScopeContext, target: string): Promise<ScopeCloned> {
  const to = otherScope(ctx, target, 'to');
  // One snapshot: the copy budget measured first holds for every page read after it.
  return ctx.store.transaction(
    async (tx) => {
      if (!(await scopeSummary(tx, ctx.scope))) throw ApiError.notFound('scope', ctx.scope);
      await assertEmpty(tx, to, 'to');
      await assertCopyWithinBudget(tx, ctx.scope, COPY_ORDER, ctx.maxScopeCopyBytes);
      const copied = zeroCounts();
      for (const table of COPY_ORDER) {
        for await (const rows of pagesOfScope(tx, table, ctx.scope)) {
          const inserted = await insertRows(
            tx,
            table,
            rows.map((row) => relocated(table, row, to)),
          );
          if (inserted !== rows.length) {
            throw ApiError.conflict(`scope ${to} gained entities during the clone; retry`, [
              { field: 'to', reason: 'must name an empty scope' },
            ]);
          }
          copied[table] += inserted;
        }
      }
      return { scope: ctx.scope, to, copied };
    },
    { snapshot: true },
  );
}
