import type { TestProject } from 'vitest/node';
import type { KeptData } from './kept-scope.js';
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
 * every test file. Reference it as `@octopoid/testing/global-setup`.
 */
export default async function setup(project: TestProject) {
  const server = await serverForRun(process.env, project.config.provide?.octopoidDatabase);
  project.provide('octopoidServerUrl', server.url);
  project.provide('octopoidKeptData', server.keptData);
  return () => server.close();
}
