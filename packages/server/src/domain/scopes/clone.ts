import type { ScopeCloned } from '@octopoid/api';
import type { Insertable, Kysely } from 'kysely';
import { ApiError } from '../../errors.js';
import type { Database } from '../../store/schema.js';
import { insertRows, rowsOfScope, type ScopedRow, type ScopedTable } from '../../store/scopes.js';
import type { ScopeContext } from '../context.js';
import { otherScope } from './other-scope.js';
import { SCOPED_TABLES, zeroCounts } from './purge.js';
import { scopeSummary } from './summary.js';

/** Parents before children, so every foreign key finds its row; API keys are never copied. */
const COPY_ORDER = SCOPED_TABLES.filter((table) => table !== 'api_keys').reverse();

/** The row as it reads in `scope`. History rows take fresh ids (they are numbered globally). */
function relocated<T extends ScopedTable>(
  table: T,
  row: ScopedRow<T>,
  scope: string,
): Insertable<Database[T]> {
  if (table === 'task_history') {
    const { id: _globalId, ...entry } = row as ScopedRow<'task_history'>;
    const fresh: Insertable<Database['task_history']> = { ...entry, scope };
    return fresh as Insertable<Database[T]>;
  }
  return { ...row, scope } as Insertable<Database[T]>;
}

/** Refuses a target that already holds anything: a clone never mixes with existing entities. */
async function assertEmpty(tx: Kysely<Database>, scope: string, field: string): Promise<void> {
  if (await scopeSummary(tx, scope)) {
    throw ApiError.conflict(`scope ${scope} already holds entities`, [
      { field, reason: 'must name an empty scope' },
    ]);
  }
}

/**
 * Copies every entity of the scope into an empty scope in one transaction, keeping every id
 * (draft numbers and message and action ids included), so every reference stays valid.
 * @throws `ApiError` 404 when the source scope holds no entity; 409 `conflict` when the target
 *   already holds entities or gains some during the clone; 400 when the target is the source
 */
export function cloneScope(ctx: ScopeContext, target: string): Promise<ScopeCloned> {
  const to = otherScope(ctx, target, 'to');
  return ctx.store.transaction(async (tx) => {
    if (!(await scopeSummary(tx, ctx.scope))) throw ApiError.notFound('scope', ctx.scope);
    await assertEmpty(tx, to, 'to');
    const copied = zeroCounts();
    for (const table of COPY_ORDER) {
      const rows = await rowsOfScope(tx, table, ctx.scope);
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
      copied[table] = inserted;
    }
    return { scope: ctx.scope, to, copied };
  });
}
