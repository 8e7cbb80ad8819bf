import { MAX_LIST_BYTES, MAX_MESSAGE_CONTENT_LENGTH } from '@octopoid/api';
import type { OctopoidSDK } from '@octopoid/sdk';
import { describe, expect, test } from '@octopoid/testing/vitest';
import { expectError, newTask, send } from './tasks-support.js';

/** A text just under what fits a 1 MiB request body. */
const LARGE = 'x'.repeat(900_000);

/** How many rows of `size` characters it takes to pass the response-size budget. */
const pastBudget = (size: number) => Math.ceil(MAX_LIST_BYTES / size) + 1;

interface ListCase {
  route: string;
  /** The list's wrapper key in the response. */
  key: string;
  /** Creates rows that together pass the budget; returns the size each row carries. */
  seed(sdk: OctopoidSDK): Promise<number>;
  /** The large text of one listed row, to check rows come back whole. */
  text(row: Record<string, unknown>): unknown;
}

const seedMessages = async (sdk: OctopoidSDK) => {
  await sdk.tasks.create(newTask('t-1'));
  const content = 'm'.repeat(MAX_MESSAGE_CONTENT_LENGTH);
  for (let i = 0; i < pastBudget(content.length); i++) {
    await sdk.messages.create({ task_id: 't-1', from_actor: 'agent-1', type: 'note', content });
  }
  return content.length;
};

const cases: ListCase[] = [
  { route: '/messages', key: 'messages', seed: seedMessages, text: (row) => row.content },
  { route: '/tasks/t-1/messages', key: 'messages', seed: seedMessages, text: (row) => row.content },
  {
    route: '/actions',
    key: 'actions',
    seed: async (sdk) => {
      for (let i = 0; i < pastBudget(LARGE.length); i++) {
        await sdk.actions.create({
          entity_type: 'task',
          entity_id: `t-${i}`,
          label: `action ${i}`,
          description: LARGE,
        });
      }
      return LARGE.length;
    },
    text: (row) => row.description,
  },
  {
    route: '/drafts',
    key: 'drafts',
    seed: async (sdk) => {
      for (let i = 0; i < pastBudget(LARGE.length); i++) {
        await sdk.drafts.create({ title: `draft ${i}`, author: 'human', tags: [LARGE] });
      }
      return LARGE.length;
    },
    text: (row) => JSON.parse(row.tags as string)[0],
  },
  {
    route: '/projects',
    key: 'projects',
    seed: async (sdk) => {
      for (let i = 0; i < pastBudget(LARGE.length); i++) {
        await sdk.projects.create({
          id: `p-${i}`,
          title: `p ${i}`,
          branch: 'main',
          description: LARGE,
        });
      }
      return LARGE.length;
    },
    text: (row) => row.description,
  },
  {
    route: '/orchestrators',
    key: 'orchestrators',
    seed: async (sdk) => {
      const capabilities = JSON.stringify(LARGE);
      for (let i = 0; i < pastBudget(capabilities.length); i++) {
        await sdk.orchestrators.register({ cluster: 'c', machine_id: `m-${i}`, capabilities });
      }
      return capabilities.length;
    },
    text: (row) => row.capabilities,
  },
  {
    route: '/flows',
    key: 'flows',
    seed: async (sdk) => {
      const childFlow = JSON.stringify({ note: LARGE });
      for (let i = 0; i < pastBudget(childFlow.length); i++) {
        const flow = await send(sdk.serverUrl, 'PUT', `/flows/flow-${i}`, {
          query: { scope: sdk.scope as string },
          json: { states: ['incoming', 'done'], child_flow: childFlow },
        });
        expect(flow.status).toBe(200);
      }
      return childFlow.length;
    },
    text: (row) => row.child_flow,
  },
];

describe('list response-size budget', () => {
  for (const { route, key, seed, text } of cases) {
    test(`GET ${route} ends a page early at the budget, says so by limit, and goes on by offset`, async ({
      scopedSdk: sdk,
      serverUrl,
    }) => {
      const size = await seed(sdk);
      const count = pastBudget(size);
      const ids: unknown[] = [];
      let pages = 0;
      for (let offset = 0; offset < count; pages++) {
        const page = await send(serverUrl, 'GET', route, {
          query: { scope: sdk.scope as string, limit: 500, offset },
        });
        expect(page.status).toBe(200);
        const rows: Record<string, unknown>[] = page.body[key];
        expect(page.body.total).toBe(count);
        expect(rows.length).toBeGreaterThan(0);
        expect(rows.length * size).toBeLessThanOrEqual(MAX_LIST_BYTES);
        expect(rows.every((row) => (text(row) as string).length === size)).toBe(true);
        // A page cut short says how many rows it holds; the last page keeps the size asked for.
        const last = offset + rows.length === count;
        expect(page.body.limit).toBe(last ? 500 : rows.length);
        ids.push(...rows.map((row) => row.id ?? row.name));
        offset += rows.length;
      }
      expect(pages).toBeGreaterThan(1);
      expect(new Set(ids).size).toBe(count);
    });
  }

  test('a page asked for fewer rows than the budget holds keeps its limit', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    await sdk.tasks.create(newTask('t-1'));
    for (let i = 0; i < 3; i++) {
      await sdk.messages.create({
        task_id: 't-1',
        from_actor: 'a',
        type: 'note',
        content: `n${i}`,
      });
    }
    const page = await send(serverUrl, 'GET', '/messages', {
      query: { scope: sdk.scope as string, limit: 2 },
    });
    expect(page.body).toMatchObject({ total: 3, offset: 0, limit: 2 });
    expect(page.body.messages).toHaveLength(2);
  });
});

describe('message content length', () => {
  test(`content past ${MAX_MESSAGE_CONTENT_LENGTH} characters is refused naming content, nothing stored`, async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    await sdk.tasks.create(newTask('t-1'));
    const refused = await send(serverUrl, 'POST', '/messages', {
      json: {
        scope: sdk.scope,
        task_id: 't-1',
        from_actor: 'agent-1',
        type: 'note',
        content: 'x'.repeat(MAX_MESSAGE_CONTENT_LENGTH + 1),
      },
    });
    expectError(refused, 400, 'validation_failed', 'content');
    expect(await sdk.messages.list()).toEqual([]);
  });
});

describe('lists the v1 API answered whole', () => {
  test('GET /roles answers every role up to 500, then pages by limit and offset; total counts them all', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    await sdk.orchestrators.register({ cluster: 'c', machine_id: 'm' });
    const roles = Array.from({ length: 501 }, (_, i) => ({
      name: `role-${String(i).padStart(3, '0')}`,
    }));
    await sdk.roles.register({ orchestrator_id: 'c-m', roles });
    const query = { scope: sdk.scope as string };
    const first = await send(serverUrl, 'GET', '/roles', { query });
    expect(first.body).toMatchObject({ total: 501, offset: 0, limit: 500 });
    expect(first.body.roles).toHaveLength(500);
    const rest = await send(serverUrl, 'GET', '/roles', { query: { ...query, offset: 500 } });
    expect(rest.body.roles.map((role: { name: string }) => role.name)).toEqual(['role-500']);
    expectError(
      await send(serverUrl, 'GET', '/roles', { query: { ...query, limit: 501 } }),
      400,
      'validation_failed',
      'query.limit',
    );
  });

  test('GET /tasks/:id/history pages by limit and offset, oldest first; total counts every entry', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    await sdk.tasks.create(newTask('t-1'));
    for (const title of ['one', 'two', 'three']) await sdk.tasks.update('t-1', { title });
    const query = { scope: sdk.scope as string };
    const whole = await send(serverUrl, 'GET', '/tasks/t-1/history', { query });
    expect(whole.body).toMatchObject({ task_id: 't-1', total: 4, offset: 0, limit: 500 });
    expect(whole.body.history.map((entry: { id: number }) => entry.id)).toEqual([1, 2, 3, 4]);
    const page = await send(serverUrl, 'GET', '/tasks/t-1/history', {
      query: { ...query, limit: 2, offset: 1 },
    });
    expect(page.body).toMatchObject({ total: 4, offset: 1, limit: 2 });
    expect(page.body.history.map((entry: { id: number }) => entry.id)).toEqual([2, 3]);
  });
});
