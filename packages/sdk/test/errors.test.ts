import { OctopoidError, OctopoidSDK } from '@octopoid/sdk';
import { describe, expect, startInProcessServer, test } from '@octopoid/testing/vitest';

const newTask = (id: string, extra: object = {}) => ({
  id,
  file_path: `tasks/${id}.md`,
  branch: 'main',
  ...extra,
});

/** The error a call rejects with; fails the test when the call succeeds. */
async function failure(call: Promise<unknown>): Promise<OctopoidError> {
  const error = await call.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(OctopoidError);
  return error as OctopoidError;
}

describe('typed errors', () => {
  test('a 400 names the invalid fields, the method and the path', async ({ scopedSdk: sdk }) => {
    const error = await failure(
      sdk.tasks.create({ id: 't-1', branch: 'main', priority: 'P9' } as never),
    );
    expect(error).toMatchObject({
      status: 400,
      code: 'validation_failed',
      method: 'POST',
      path: '/api/v1/tasks',
    });
    expect(error.details.map((d) => d.field).sort()).toEqual(['file_path', 'priority']);
  });

  test('a 404 is thrown by every method except get and claim', async ({ scopedSdk: sdk }) => {
    const error = await failure(sdk.tasks.update('t-missing', { title: 'x' }));
    expect(error).toMatchObject({ status: 404, code: 'not_found', method: 'PATCH' });
    expect(error.path).toBe('/api/v1/tasks/t-missing');
  });

  test('a 409 reports a duplicate id', async ({ scopedSdk: sdk }) => {
    await sdk.tasks.create(newTask('t-1'));
    const error = await failure(sdk.tasks.create(newTask('t-1', { file_path: 'tasks/other.md' })));
    expect(error).toMatchObject({ status: 409, code: 'conflict' });
  });

  test('a 409 reports a stale expected version with the field', async ({ scopedSdk: sdk }) => {
    await sdk.tasks.create(newTask('t-1'));
    await sdk.tasks.update('t-1', { title: 'first edit' });
    const error = await failure(sdk.tasks.update('t-1', { title: 'late edit', version: 1 }));
    expect(error).toMatchObject({ status: 409, code: 'version_conflict' });
    expect(error.details).toEqual([expect.objectContaining({ field: 'version' })]);
  });

  test('a 413 reports a body over the server’s limit', async () => {
    // In process: over a socket the server answers early and closes under the body's last writes.
    await using server = await startInProcessServer();
    const sdk = server.sdk('too-large');
    const content = 'x'.repeat(1024 * 1024 + 1);
    const error = await failure(sdk.tasks.create(newTask('t-big', { content })));
    expect(error).toMatchObject({ status: 413, code: 'payload_too_large' });
    expect(await sdk.tasks.get('t-big')).toBeNull();
  });

  test('a 429 from any route but claim is thrown, not turned into null', async ({
    scopedSdk: sdk,
    scope,
  }) => {
    await scope.faults.add({ method: 'GET', path: '/api/v1/tasks/*', status: 429, times: 1 });
    const error = await failure(sdk.tasks.get('t-1'));
    expect(error.status).toBe(429);
  });

  test('a 401 reports an API key the server does not know', async ({ scopedSdk: sdk }) => {
    const keyed = new OctopoidSDK({
      serverUrl: sdk.serverUrl,
      scope: sdk.scope,
      apiKey: `oct_${'0'.repeat(64)}`,
    });
    const error = await failure(keyed.tasks.list());
    expect(error).toMatchObject({ status: 401, code: 'unauthorized' });
  });

  test('a 403 reports an API key used for another scope', async ({ scopedSdk: sdk }) => {
    const registered = await sdk.orchestrators.register({
      cluster: 'c',
      machine_id: 'm',
      repo_url: 'https://example.com/repo.git',
    });
    expect(registered.api_key).toMatch(/^oct_/);
    const other = `${sdk.scope}-other`;
    const misused = new OctopoidSDK({
      serverUrl: sdk.serverUrl,
      scope: other,
      apiKey: registered.api_key ?? undefined,
    });
    const error = await failure(misused.tasks.list());
    expect(error).toMatchObject({ status: 403, code: 'scope_mismatch' });
  });
});
