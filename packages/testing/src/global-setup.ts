import type { TestProject } from 'vitest/node';
import { serverForRun } from './run-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    octopoidServerUrl: string;
    /** The run's in-process database, or `null` when the run reuses a running server. */
    octopoidServerDatabase: string | null;
  }
}

/**
 * Vitest `globalSetup`: one Octopoid server for the whole run, shared by every test file.
 * Reference it as `@octopoid/testing/global-setup`.
 */
export default async function setup(project: TestProject) {
  const server = await serverForRun(process.env);
  project.provide('octopoidServerUrl', server.url);
  project.provide('octopoidServerDatabase', server.database);
  return () => server.close();
}
