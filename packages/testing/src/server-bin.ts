import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Latest modification time (ms) of the files under `dir`. */
function newestMtimeMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

/**
 * The `octopoid-server` binary the kit's subprocess mode runs: `bin/octopoid-server.js` of the
 * resolved `@octopoid/server` package, which loads that package's built `dist/`. In a checkout of
 * the server's own repository, `dist/` is checked against `src/`; an installed package is used
 * as shipped. `packageDir` is the server package's folder, by default the resolved one.
 *
 * @throws Error when a source file is newer than the last build (`dist/.tsbuildinfo`, which
 *   `tsc -b` rewrites on every rebuild): the binary would run code the sources no longer hold.
 */
export function serverBin(
  packageDir = join(dirname(createRequire(import.meta.url).resolve('@octopoid/server')), '..'),
): string {
  const source = join(packageDir, 'src');
  const buildInfo = join(packageDir, 'dist', '.tsbuildinfo');
  const checkout = existsSync(join(packageDir, 'tsconfig.json'));
  if (checkout && existsSync(source) && existsSync(buildInfo)) {
    const built = statSync(buildInfo).mtimeMs;
    if (newestMtimeMs(source) > built) {
      throw new Error(
        `the octopoid-server build in ${join(packageDir, 'dist')} is older than its sources; ` +
          'build it first (npx tsc -b; npm test does)',
      );
    }
  }
  return join(packageDir, 'bin', 'octopoid-server.js');
}
