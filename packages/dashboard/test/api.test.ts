import { describe, expect, test } from '@octopoid/testing/vitest';
import { DashboardApi } from '../src/api.js';

describe('the dashboard’s reads', () => {
  test('a task’s history past the first page of 500 is read whole, oldest first', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    await sdk.tasks.create({ id: 't-1', file_path: 'tasks/t-1.md', branch: 'main' });
    // Ten writers side by side: 510 unconditional edits, one history entry each.
    await Promise.all(
      Array.from({ length: 10 }, async (_, writer) => {
        for (let i = 0; i < 51; i++) await sdk.tasks.update('t-1', { title: `${writer}-${i}` });
      }),
    );
    const firstPage = await sdk.tasks.history('t-1');
    expect(firstPage).toMatchObject({ total: 511, limit: 500 });

    const { history } = await new DashboardApi(null, serverUrl).taskDetail(
      sdk.scope as string,
      't-1',
    );
    expect(history.total).toBe(511);
    expect(history.history.map((entry) => entry.id)).toEqual(
      [...history.history.map((entry) => entry.id)].sort((a, b) => a - b),
    );
    expect(new Set(history.history.map((entry) => entry.id)).size).toBe(511);
    expect(history.history.slice(0, 500)).toEqual(firstPage.history);
  });
});
