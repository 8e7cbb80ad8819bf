/**
 * The server package, loaded when a test first starts a server of its own: a test file that
 * only talks to the run's server (started by `globalSetup`) never loads the server's ~500
 * modules.
 */
export const loadServer = () => import('@octopoid/server');
