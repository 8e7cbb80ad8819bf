/**
 * A clone or merge runs in one transaction, and SQLite serves every request on one connection:
 * the copy budget (`maxScopeCopyBytes`) bounds how long one can hold the server, and how much of
 * a scope it holds in memory. A scope over it is refused with a 413 naming the limit, measured by
 * the database before any row is read and before anything is written; one within it copies a
 * page at a time.
 */
import { OctopoidSDK } from '@octopoid/sdk';
import { describe, expect, startPrivateServer, test } from '@octopoid/testing/vitest';
import { type KyselyPlugin, type RootOperationNode, TableNode } from 'kysely';
import type { ScopeContext } from '../src/domain/context.js';
import { ScopeClocks } from '../src/domain/scope-clocks.js';
import { DEFAULT_STREAM_LIMITS, ScopeEvents } from '../src/domain/scope-events.js';
import { cloneScope } from '../src/domain/scopes/clone.js';
import { mergeScope } from '../src/domain/scopes/merge.js';
import { DEFAULT_RETRY_POLICY } from '../src/domain/tasks/attempts.js';
import { ClaimWaiters } from '../src/domain/tasks/claim-waiters.js';
import { SCOPED_ENTITIES, SCOPED_TABLES } from '../src/store/entities.js';
import { rowsOfScope } from '../src/store/scopes.js';
import type { Store } from '../src/store/store.js';
import { contentsOf } from './scopes-support.js';
import { expectSdkError, newTask } from './tasks-support.js';

const BUDGET = 64 * 1024;

describe('the copy budget of clones and merges', () => {
  test('a scope holding more than the budget is refused with 413 naming the limit; nothing is written', {
    timeout: 60_000,
  }, async () => {
    await using server = await startPrivateServer({ maxScopeCopyBytes: BUDGET });
    const sdk = (scope: string) => new OctopoidSDK({ serverUrl: server.url, scope });
    const big = sdk('big');
    await big.tasks.create(newTask('t-1', { content: 'x'.repeat(BUDGET / 2) }));
    await big.tasks.create(newTask('t-2', { content: 'x'.repeat(BUDGET / 2) }));
    const before = await contentsOf(big);

    const clone = await big.scopes.clone('copy').catch((error: unknown) => error);
    expect(clone).toMatchObject({ status: 413, code: 'payload_too_large' });
    expect(String((clone as Error).message)).toContain('max-scope-copy-bytes');
    await expectSdkError(big.scopes.merge('parent'), 413, 'payload_too_large', 'scope');
    expect(await sdk('copy').scopes.get()).toBeNull();
    expect(await sdk('parent').scopes.get()).toBeNull();
    expect(await contentsOf(big)).toEqual(before);

    // Within the budget, both work.
    await big.tasks.delete('t-2');
    expect((await big.scopes.clone('copy')).copied.tasks).toBe(1);
    expect((await big.scopes.merge('parent')).moved.tasks).toHaveLength(1);
  });

  test('a clone of more rows than one page copies every row', {
    timeout: 120_000,
  }, async ({ scopedSdk: sdk }) => {
    const ids = Array.from({ length: 1_050 }, (_, i) => `t-${i}`);
    for (let i = 0; i < ids.length; i += 50) {
      await Promise.all(ids.slice(i, i + 50).map((id) => sdk.tasks.create(newTask(id))));
    }
    const copy = sdk.withScope(`${sdk.scope}-copy`);
    const cloned = await sdk.scopes.clone(copy.scope as string);
    expect(cloned.copied).toMatchObject({ tasks: ids.length, task_history: ids.length });
    expect(await contentsOf(copy)).toEqual(await contentsOf(sdk));
    await copy.scopes.purge();
  });
});

/**
 * A statement a copy ran: the table it read, whether it read whole rows (`SELECT *`), and how
 * many rows it answered.
 */
interface Statement {
  table: string | undefined;
  readsRows: boolean;
  rows?: number;
}

/** Records every SELECT of the transactions `store` runs, in order. */
function recordingStore(store: Store, statements: Statement[]): Store {
  const byQuery = new WeakMap<object, Statement>();
  const recorder: KyselyPlugin = {
    transformQuery({ node, queryId }): RootOperationNode {
      if (node.kind === 'SelectQueryNode') {
        const from = node.from?.froms[0];
        const statement: Statement = {
          table: from && TableNode.is(from) ? from.table.identifier.name : undefined,
          readsRows: (node.selections ?? []).some((s) => s.selection.kind === 'SelectAllNode'),
        };
        statements.push(statement);
        byQuery.set(queryId, statement);
      }
      return node;
    },
    transformResult: async ({ result, queryId }) => {
      const statement = byQuery.get(queryId);
      if (statement) statement.rows = result.rows.length;
      return result;
    },
  };
  return {
    ...store,
    transaction: (work) =>
      store.transaction((tx) =>
        work(Object.assign(tx.withPlugin(recorder), { capabilities: tx.capabilities })),
      ),
  };
}

/**
 * `store`, whose transactions run `write` (outside them, on the store itself) once their first
 * read of whole rows (`SELECT *`) has answered: a write landing in the middle of a copy. On PostgreSQL it is
 * awaited, so it commits before the copy reads on; SQLite's one connection runs it after.
 */
function writingMidway(store: Store, write: () => Promise<unknown>): Store {
  let pending: Promise<unknown> | undefined;
  let firstRowsRead: object | undefined;
  const midway: KyselyPlugin = {
    transformQuery: ({ node, queryId }) => {
      const readsRows =
        node.kind === 'SelectQueryNode' &&
        (node.selections ?? []).some((s) => s.selection.kind === 'SelectAllNode');
      if (readsRows) firstRowsRead ??= queryId;
      return node;
    },
    transformResult: async ({ result, queryId }) => {
      if (pending === undefined && queryId === firstRowsRead) {
        pending = write();
        if (store.dialect === 'postgres') await pending;
      }
      return result;
    },
  };
  return {
    ...store,
    transaction: (work, options) =>
      store.transaction(
        (tx) => work(Object.assign(tx.withPlugin(midway), { capabilities: tx.capabilities })),
        options,
      ),
  };
}

/** The context of a clone or merge of `scope` on `store`, with the copy budget given. */
function copyContext(store: Store, scope: string, maxScopeCopyBytes: number): ScopeContext {
  return {
    store,
    scope,
    maxScopeCopyBytes,
    clocks: new ScopeClocks(Date.now),
    events: new ScopeEvents(DEFAULT_STREAM_LIMITS),
    claimWaiters: new ClaimWaiters(),
    retry: DEFAULT_RETRY_POLICY,
  };
}

/** A scope's rows as the budget documents its measure: text by its UTF-8 bytes, 8 per other value. */
async function documentedSize(store: Store, scope: string): Promise<number> {
  let bytes = 0;
  for (const table of SCOPED_TABLES) {
    // A sequence key is a bigint on PostgreSQL, which pg hands over as text: a number still.
    const { key, sequenceKey } = SCOPED_ENTITIES[table] as { key: string; sequenceKey?: true };
    for (const row of await rowsOfScope(store.db, table, scope)) {
      for (const [column, value] of Object.entries(row)) {
        const text = typeof value === 'string' && !(sequenceKey && column === key);
        bytes += text ? Buffer.byteLength(value) : 8;
      }
    }
  }
  return bytes;
}

describe('the copy budget is measured before rows are read', () => {
  test("a scope over the budget is refused by the database's measure alone: no row is read", async () => {
    await using server = await startPrivateServer();
    const sdk = new OctopoidSDK({ serverUrl: server.url, scope: 'big' });
    // Characters of 1 to 4 bytes: the budget counts bytes, not characters.
    await sdk.tasks.create(newTask('t-1', { content: 'xé€😀'.repeat(2_500) }));
    await sdk.messages.create({ task_id: 't-1', from_actor: 'a', type: 'note', content: 'hello' });
    await sdk.drafts.create({ title: 'draft', author: 'human' });
    const size = await documentedSize(server.store, 'big');

    for (const copy of [
      (ctx: ScopeContext) => cloneScope(ctx, 'copy'),
      (ctx: ScopeContext) => mergeScope(ctx, { into: 'parent', onConflict: 'fail', dryRun: false }),
    ]) {
      const statements: Statement[] = [];
      const store = recordingStore(server.store, statements);
      await expect(copy(copyContext(store, 'big', size - 1))).rejects.toMatchObject({
        status: 413,
        code: 'payload_too_large',
      });
      expect(statements.length).toBeGreaterThan(0);
      expect(statements.filter((statement) => statement.readsRows)).toEqual([]);
    }
    expect(await sdk.withScope('copy').scopes.get()).toBeNull();
    expect(await sdk.withScope('parent').scopes.get()).toBeNull();

    // The measure is exactly the documented one: a budget of the scope's size copies it.
    const statements: Statement[] = [];
    const store = recordingStore(server.store, statements);
    const cloned = await cloneScope(copyContext(store, 'big', size), 'copy');
    expect(cloned.copied).toMatchObject({ tasks: 1, messages: 1, drafts: 1 });
    expect(statements.filter((statement) => statement.readsRows).map((s) => s.table)).toEqual(
      expect.arrayContaining(['tasks', 'messages', 'drafts']),
    );
    const copySize = await documentedSize(server.store, 'copy');
    const merged = await mergeScope(copyContext(server.store, 'copy', copySize), {
      into: 'parent',
      onConflict: 'fail',
      dryRun: false,
    });
    expect(merged.moved.tasks).toHaveLength(1);
  });

  test("a merge reads only the parent's flows the child names, whatever else the parent holds", async () => {
    await using server = await startPrivateServer();
    const parent = new OctopoidSDK({ serverUrl: server.url, scope: 'parent' });
    const child = parent.withScope('child');
    const flow = { states: ['incoming', 'done'] };
    for (const name of ['p-1', 'p-2', 'p-3', 'shared']) await parent.flows.register(name, flow);
    await child.flows.register('shared', flow);
    await child.tasks.create(newTask('t-1'));

    const statements: Statement[] = [];
    const store = recordingStore(server.store, statements);
    await mergeScope(copyContext(store, 'child', Number.MAX_SAFE_INTEGER), {
      into: 'parent',
      onConflict: 'fail',
      dryRun: true,
    });
    const flowReads = statements.filter((s) => s.table === 'flows' && s.readsRows);
    // The child's own flow, and the parent's namesake of it: never the parent's four.
    expect(flowReads.map((s) => s.rows)).toEqual([1, 1]);
  });

  test('a clone copies the scope as it was when its budget was measured, not rows written during it', async () => {
    await using server = await startPrivateServer();
    const sdk = new OctopoidSDK({ serverUrl: server.url, scope: 'source' });
    await sdk.tasks.create(newTask('t-1'));
    const size = await documentedSize(server.store, 'source');
    const late = () => sdk.flows.register('late', { states: ['incoming', 'done'] });

    const store = writingMidway(server.store, late);
    const cloned = await cloneScope(copyContext(store, 'source', size), 'copy');
    expect(cloned.copied).toMatchObject({ tasks: 1, flows: 0 });
    await expect.poll(() => sdk.flows.list()).toHaveLength(1);
    expect(await sdk.withScope('copy').flows.list()).toEqual([]);
  });
});
