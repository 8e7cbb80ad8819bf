import { MAX_LIST_BYTES } from '@octopoid/api';
import { describe, expect, test } from '@octopoid/testing/vitest';
import { expectError, newTask, send } from './tasks-support.js';

const ids = (body: { tasks: { id: string }[] }) => body.tasks.map((task) => task.id);

describe('task lists: fields, size budget, keyset cursor', () => {
  test('omit=content lists without content; fields picks fields (id always)', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    await sdk.tasks.create(newTask('t1', { content: 'long text' }));
    const query = { scope: sdk.scope as string };
    const omitted = await send(serverUrl, 'GET', '/tasks', {
      query: { ...query, omit: 'content' },
    });
    expect(omitted.body.tasks[0]).not.toHaveProperty('content');
    expect(omitted.body.tasks[0]).toMatchObject({ id: 't1', queue: 'incoming', version: 1 });
    const picked = await send(serverUrl, 'GET', '/tasks', {
      query: { ...query, fields: 'queue,version' },
    });
    expect(picked.body.tasks).toEqual([{ id: 't1', queue: 'incoming', version: 1 }]);
    expect((await sdk.tasks.list({ omit: ['content', 'hooks'] }))[0]).not.toHaveProperty('hooks');

    const unknown = await send(serverUrl, 'GET', '/tasks', { query: { ...query, omit: 'nope' } });
    expectError(unknown, 400, 'validation_failed');
    expect(JSON.stringify(unknown.body.details)).toContain('omit');
    const both = await send(serverUrl, 'GET', '/tasks', {
      query: { ...query, omit: 'content', fields: 'queue' },
    });
    expectError(both, 400, 'validation_failed', 'omit');
  });

  test('a list whose contents exceed the size budget ends early and goes on by cursor', async ({
    scopedSdk: sdk,
  }) => {
    const content = 'x'.repeat(900_000);
    const count = Math.ceil(MAX_LIST_BYTES / content.length) + 1;
    for (let i = 0; i < count; i++) await sdk.tasks.create(newTask(`t${i}`, { content }));

    const first = await sdk.tasks.page({ limit: 500 });
    expect(first.total).toBe(count);
    expect(first.tasks.length).toBeLessThan(count);
    expect(first.limit).toBe(first.tasks.length);
    expect(first.next_cursor).not.toBeNull();
    const seen = first.tasks.map((task) => task.id);
    for (let cursor = first.next_cursor; cursor !== null; ) {
      const next = await sdk.tasks.page({ limit: 500, cursor });
      expect(next.tasks.every((task) => task.content === content)).toBe(true);
      seen.push(...next.tasks.map((task) => task.id));
      cursor = next.next_cursor;
    }
    expect(seen.sort()).toEqual(Array.from({ length: count }, (_, i) => `t${i}`).sort());

    const light = await sdk.tasks.page({ limit: 500, omit: 'content' });
    expect(light.tasks).toHaveLength(count);
    expect(light.next_cursor).toBeNull();
  });

  test('cursor paging neither repeats nor skips tasks that arrive between pages', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    for (const id of ['t1', 't2', 't3', 't4', 't5']) await sdk.tasks.create(newTask(id));
    const first = await sdk.tasks.page({ limit: 2 });
    expect(ids(first)).toEqual(['t5', 't4']);
    await sdk.tasks.create(newTask('t6'));
    await sdk.tasks.create(newTask('t7'));
    const second = await sdk.tasks.page({ limit: 2, cursor: first.next_cursor ?? '' });
    expect(ids(second)).toEqual(['t3', 't2']);
    const third = await sdk.tasks.page({ limit: 2, cursor: second.next_cursor ?? '' });
    expect(ids(third)).toEqual(['t1']);
    expect(third.next_cursor).toBeNull();
    // Offset paging, by contrast, shows t5 again on the second page.
    expect(ids(await sdk.tasks.page({ limit: 2, offset: 2 }))).toEqual(['t5', 't4']);

    const oldest = await sdk.tasks.page({ limit: 3, sort: 'priority' });
    const rest = await sdk.tasks.page({
      limit: 10,
      sort: 'priority',
      cursor: oldest.next_cursor ?? '',
    });
    expect([...ids(oldest), ...ids(rest)]).toEqual(['t1', 't2', 't3', 't4', 't5', 't6', 't7']);

    const query = { scope: sdk.scope as string };
    for (const [extra, field] of [
      [{ cursor: 'not-a-cursor' }, 'cursor'],
      [{ cursor: first.next_cursor ?? '', sort: 'created' }, 'cursor'],
      [{ cursor: first.next_cursor ?? '', offset: 2 }, 'offset'],
      ...tamperedCursors(first.next_cursor ?? '').map((cursor) => [{ cursor }, 'cursor'] as const),
    ] as const) {
      const response = await send(serverUrl, 'GET', '/tasks', { query: { ...query, ...extra } });
      expectError(response, 400, 'validation_failed', field);
    }
  });
});

/**
 * `cursor` with each key replaced by something no server-made cursor holds: malformed, loose and
 * out-of-range instants (PostgreSQL answered 500 to these), a priority, an id and a key count.
 */
function tamperedCursors(cursor: string): string[] {
  const keys = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as string[];
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const withKey = (index: number, value: unknown) =>
    encode(keys.map((key, i) => (i === index ? value : key)));
  return [
    ...['1', '0000-01-01T00:00:00Z', '2026-02-30T00:00:00Z', '+275760-09-13T00:00:00.000Z'].map(
      (instant) => withKey(2, instant),
    ),
    withKey(2, 'March 7 2026'),
    withKey(1, 'P9'),
    withKey(3, '../x'),
    withKey(3, 42),
    encode(keys.slice(0, 3)),
  ];
}
