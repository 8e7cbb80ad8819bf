// Bundles the CLI into one file, dist/cli.bundle.js, which bin/octopoid-server.js runs: loading
// one module instead of several hundred halves the time from process start to first answer.
// The database drivers stay outside: better-sqlite3 is native, pg is loaded only for PostgreSQL.
import { build } from 'esbuild';

await build({
  entryPoints: [new URL('../src/cli.ts', import.meta.url).pathname],
  outfile: new URL('../dist/cli.bundle.js', import.meta.url).pathname,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['better-sqlite3', 'pg'],
  // CommonJS dependencies (commander, pino) call require(); an ES module has none of its own.
  banner: {
    js: "import { createRequire as __octopoidRequire } from 'node:module'; const require = __octopoidRequire(import.meta.url);",
  },
  legalComments: 'none',
  logLevel: 'warning',
});
