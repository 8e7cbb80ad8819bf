import { randomUUID } from 'node:crypto';
import type { OctopoidSDK } from '@octopoid/sdk';
import { type InProcessServer, startInProcessServer } from '@octopoid/testing/vitest';
import { afterAll, beforeAll } from 'vitest';

/**
 * One in-process server (see `startInProcessServer`) for the tests of the calling file: started
 * before them on the project's backend, closed after them. Call it at the top of the file.
 * `server()` is that server; `freshSdk()` a client of a new scope on it, named `label-<random>`.
 *
 * @throws Error from `server()` or `freshSdk()` called outside a test of the file.
 */
export function inProcessServerOfFile(label: string): {
  server: () => InProcessServer;
  freshSdk: () => OctopoidSDK;
} {
  let started: InProcessServer | undefined;
  beforeAll(async () => {
    started = await startInProcessServer();
  });
  afterAll(() => started?.close());
  const server = () => {
    if (!started) throw new Error('the in-process server runs only during the file’s tests');
    return started;
  };
  return { server, freshSdk: () => server().sdk(`${label}-${randomUUID().slice(0, 8)}`) };
}
