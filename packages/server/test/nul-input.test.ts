import { describe, expect, test } from '@octopoid/testing/vitest';
import { expectError, newTask, send } from './tasks-support.js';

describe('text holding the NUL character', () => {
  test('is a 400 naming the body field, and nothing is written', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    const response = await send(serverUrl, 'POST', '/tasks', {
      query: { scope: sdk.scope ?? '' },
      json: newTask('t-1', { title: 'bad\u0000title' }),
    });
    expectError(response, 400, 'validation_failed', 'title');
    expect(await sdk.tasks.list()).toEqual([]);
  });

  test('is a 400 in nested JSON, in a query value and in a path id', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    await sdk.tasks.create(newTask('t-1'));
    const scope = { scope: sdk.scope ?? '' };
    const nested = await send(serverUrl, 'PATCH', '/tasks/t-1', {
      query: scope,
      json: { flow_overrides: { note: 'a\u0000b' } },
    });
    expectError(nested, 400, 'validation_failed', 'flow_overrides.note');
    const query = await send(serverUrl, 'GET', '/tasks', {
      query: { ...scope, claimed_by: 'x\u0000' },
    });
    expectError(query, 400, 'validation_failed', 'query.claimed_by.0');
    const path = await send(serverUrl, 'GET', '/tasks/t%00-1', { query: scope });
    expectError(path, 400, 'validation_failed', 'path');
    expect((await sdk.tasks.get('t-1'))?.version).toBe(1);
  });
});
