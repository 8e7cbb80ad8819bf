// Bundles the CLI into one file, dist/cli.bundle.js, which bin/octopoid-server.js runs: loading
// one module instead of several hundred halves the time from process start to first answer.
// The database drivers stay outside: better-sqlite3 is native, pg is loaded only for PostgreSQL.
import { build } from 'esbuild';

/**
 * zod's namespace carries every language's error messages (`z.locales`, a sixth of the bundle);
 * the server answers in English only, so the bundle keeps that one. The rest would only be
 * parsed at every start.
 */
const englishOnly = {
  name: 'zod-english-only',
  setup(bundle) {
    bundle.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({
      contents: 'export { default as en } from "./en.js";',
    }));
  },
};

await build({
  entryPoints: [new URL('../src/cli.ts', import.meta.url).pathname],
  outfile: new URL('../dist/cli.bundle.js', import.meta.url).pathname,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['better-sqlite3', 'pg'],
  plugins: [englishOnly],
  // Less text to read and parse at every start. Names stay as written, for readable stack traces.
  minifyWhitespace: true,
  minifySyntax: true,
  // CommonJS dependencies (commander, pino) call require(); an ES module has none of its own.
  banner: {
    js: "import { createRequire as __octopoidRequire } from 'node:module'; const require = __octopoidRequire(import.meta.url);",
  },
  legalComments: 'none',
  logLevel: 'warning',
});
