import { OctopoidSDK } from '@octopoid/sdk';
import { describe, everyPage, expect, startPrivateServer, test } from '@octopoid/testing/vitest';

const machine = { cluster: 'c', machine_id: 'm' };

describe('sdk list paging', () => {
  test('roles.page reads role 501 onwards; list is the first page of 500', async ({
    scopedSdk: sdk,
  }) => {
    await sdk.orchestrators.register(machine);
    const names = Array.from({ length: 620 }, (_, i) => `role-${String(i).padStart(3, '0')}`);
    await sdk.roles.register({ orchestrator_id: 'c-m', roles: names.map((name) => ({ name })) });

    const pages = await everyPage((offset) => sdk.roles.page({ offset }));
    expect(pages.map(({ total, offset, limit }) => ({ total, offset, limit }))).toEqual([
      { total: 620, offset: 0, limit: 500 },
      { total: 620, offset: 500, limit: 500 },
    ]);
    expect(pages.flatMap((page) => page.roles.map((role) => role.name))).toEqual(names);

    const smaller = await everyPage((offset) => sdk.roles.page({ limit: 200, offset }));
    expect(smaller.map((page) => page.roles.length)).toEqual([200, 200, 200, 20]);
    expect(smaller.flatMap((page) => page.roles.map((role) => role.name))).toEqual(names);

    expect((await sdk.roles.list()).map((role) => role.name)).toEqual(names.slice(0, 500));
  });

  test('orchestrators.page and list take the filters with limit and offset', async ({
    scopedSdk: sdk,
  }) => {
    for (const id of ['a', 'b', 'c', 'd', 'e']) {
      await sdk.orchestrators.register({ cluster: 'c', machine_id: id });
    }
    await sdk.orchestrators.setStatus('c-e', 'maintenance');

    const pages = await everyPage((offset) =>
      sdk.orchestrators.page({ status: 'active', limit: 2, offset }),
    );
    expect(pages.map(({ total, offset, limit }) => ({ total, offset, limit }))).toEqual([
      { total: 4, offset: 0, limit: 2 },
      { total: 4, offset: 2, limit: 2 },
    ]);
    const paged = pages.flatMap((page) => page.orchestrators.map((o) => o.id));
    expect([...paged].sort()).toEqual(['c-a', 'c-b', 'c-c', 'c-d']);
    expect(paged).toEqual((await sdk.orchestrators.list({ status: ['active'] })).map((o) => o.id));

    const second = await sdk.orchestrators.list({ limit: 2, offset: 2 });
    expect(second.map((o) => o.id)).toEqual(
      (await sdk.orchestrators.list()).slice(2, 4).map((o) => o.id),
    );
  });

  test('flows.page pages the scope’s flows by name', async ({ scopedSdk: sdk }) => {
    const names = ['f-1', 'f-2', 'f-3', 'f-4', 'f-5'];
    for (const name of names) {
      await sdk.flows.register(name, {
        states: ['incoming', 'done'],
        transitions: [{ from: 'incoming', to: 'done' }],
      });
    }
    const pages = await everyPage((offset) => sdk.flows.page({ limit: 2, offset }));
    expect(pages.map((page) => page.flows.length)).toEqual([2, 2, 1]);
    expect(pages.every((page) => page.total === 5)).toBe(true);
    expect(pages.flatMap((page) => page.flows.map((flow) => flow.name))).toEqual(names);
    expect((await sdk.flows.list()).map((flow) => flow.name)).toEqual(names);
  });

  test('tasks.historyPage pages a history oldest first; history is its first page', async ({
    scopedSdk: sdk,
  }) => {
    await sdk.tasks.create({ id: 't-1', file_path: 'tasks/t-1.md', branch: 'main' });
    for (let i = 0; i < 11; i++) await sdk.tasks.update('t-1', { title: `title ${i}` });

    const whole = await sdk.tasks.history('t-1');
    expect(whole).toMatchObject({ task_id: 't-1', total: 12, offset: 0, limit: 500 });
    const pages = await everyPage((offset) => sdk.tasks.historyPage('t-1', { limit: 5, offset }));
    expect(pages.map((page) => page.history.length)).toEqual([5, 5, 2]);
    expect(pages.every((page) => page.task_id === 't-1' && page.total === 12)).toBe(true);
    expect(pages.flatMap((page) => page.history)).toEqual(whole.history);
    expect(new Set(whole.history.map((entry) => entry.id)).size).toBe(12);
  });

  test('scopes.page reads every scope of the server, by name, past any page size', async () => {
    await using server = await startPrivateServer();
    const names = ['s-1', 's-2', 's-3', 's-4', 's-5', 's-6', 's-7'];
    for (const scope of names) {
      await new OctopoidSDK({ serverUrl: server.url, scope }).tasks.create({
        id: 't-1',
        file_path: 'tasks/t-1.md',
        branch: 'main',
      });
    }
    const sdk = new OctopoidSDK({ serverUrl: server.url });
    const pages = await everyPage((offset) => sdk.scopes.page({ limit: 3, offset }));
    expect(pages.map(({ total, offset, limit }) => ({ total, offset, limit }))).toEqual([
      { total: 7, offset: 0, limit: 3 },
      { total: 7, offset: 3, limit: 3 },
      { total: 7, offset: 6, limit: 3 },
    ]);
    expect(pages.flatMap((page) => page.scopes.map((s) => s.scope))).toEqual(names);
    expect((await sdk.scopes.list()).map((s) => s.scope)).toEqual(names);
  });
});
