import type { TestProject } from 'vitest/node';
import { assertLoopbackUrl } from './remote-guard.js';
import { startTestServer } from './start-test-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    octopoidServerUrl: string;
  }
}

/**
 * Vitest globalSetup: one server for the whole run. Reuses `OCTOPOID_TEST_SERVER_URL` when set
 * (after a health check and the loopback guard); otherwise starts an in-process server on
 * `OCTOPOID_TEST_DATABASE` (default `:memory:`).
 */
export default async function setup(project: TestProject) {
  const existing = process.env.OCTOPOID_TEST_SERVER_URL;
  if (existing) {
    assertLoopbackUrl(existing, process.env.OCTOPOID_TEST_ALLOW_REMOTE === '1');
    const health = await fetch(new URL('/api/health', existing)).catch((error: unknown) => {
      throw new Error(`OCTOPOID_TEST_SERVER_URL ${existing} does not answer`, { cause: error });
    });
    if (!health.ok) throw new Error(`${existing}/api/health answered ${health.status}`);
    project.provide('octopoidServerUrl', existing);
    return;
  }
  const server = await startTestServer({
    ...(process.env.OCTOPOID_TEST_DATABASE ? { database: process.env.OCTOPOID_TEST_DATABASE } : {}),
  });
  project.provide('octopoidServerUrl', server.url);
  return () => server.close();
}
