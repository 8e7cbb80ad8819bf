import type { TestProject } from 'vitest/node';
import type { KeptData } from './kept-scope.js';
import { keptServerMessage } from './kept-server.js';
import { serverForRun } from './run-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /**
     * Set in a vitest project's `provide` to choose that project's database: `:memory:`, a
     * SQLite file, a `postgres://` URL, or `postgres:fresh` for a fresh database dropped after
     * the run.
     */
    octopoidDatabase?: string;
    octopoidServerUrl: string;
    /** How long the scope of a failed test stays to be looked at. */
    octopoidKeptData: KeptData;
  }
}

/**
 * Vitest `globalSetup`: one Octopoid server for the whole run (per vitest project), shared by
 * every test file. Reference it as `@octopoid/testing/global-setup`. With
 * `OCTOPOID_KEEP_SERVER=1` and a failed test, the server and its data stay up after the run (a
 * detached server on the same URL; the run prints how to stop it).
 */
export default async function setup(project: TestProject) {
  const server = await serverForRun(process.env, project.config.provide?.octopoidDatabase);
  project.provide('octopoidServerUrl', server.url);
  project.provide('octopoidKeptData', server.keptData);
  return async () => {
    const keep = process.env.OCTOPOID_KEEP_SERVER === '1';
    const kept = keep && project.vitest.state.getCountOfFailedTests() > 0;
    if (!kept) return server.close();
    const running = await server.keepForInspection();
    if (running) console.log(keptServerMessage(running));
  };
}
