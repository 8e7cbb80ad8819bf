import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';

const run = promisify(execFile);
const repositoryRoot = fileURLToPath(new URL('../../..', import.meta.url));

/** A module resolve hook that fails every import resolving into zod, hono or an @hono package. */
const GUARD_HOOKS = `export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (/\\/node_modules\\/(zod|hono|@hono\\/[^/]+)\\//.test(resolved.url)) {
    throw new Error('server-side library loaded: ' + resolved.url);
  }
  return resolved;
}`;
const REGISTER_GUARD = `import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(GUARD_HOOKS)}));`;

/**
 * Imports `specifier` in a fresh node process (the built packages, as installed clients load
 * them) with the guard hook registered, and evaluates `use` against the module.
 */
function importGuarded(specifier: string, use = 'true') {
  const script = `const module = await import(${JSON.stringify(specifier)});
if (!(${use})) throw new Error('unexpected module shape');
console.log('loaded');`;
  return run(
    process.execPath,
    [
      '--import',
      `data:text/javascript,${encodeURIComponent(REGISTER_GUARD)}`,
      '--input-type=module',
      '--eval',
      script,
    ],
    { cwd: repositoryRoot },
  );
}

describe('the SDK entry', () => {
  test('loading @octopoid/sdk and making a client loads neither zod nor hono', async () => {
    const { stdout } = await importGuarded(
      '@octopoid/sdk',
      "new module.OctopoidSDK({ serverUrl: 'http://127.0.0.1:1', scope: 's' }).tasks !== undefined",
    );
    expect(stdout.trim()).toBe('loaded');
  });

  test('@octopoid/api/constants serves the scope name pattern without a schema library', async () => {
    const { stdout } = await importGuarded(
      '@octopoid/api/constants',
      "module.SCOPE_NAME_PATTERN.test('run-1') && module.ERROR_CODES.includes('not_found')",
    );
    expect(stdout.trim()).toBe('loaded');
  });

  test('the guard does catch a schema library: the full @octopoid/api entry fails under it', async () => {
    await expect(importGuarded('@octopoid/api')).rejects.toThrow(/server-side library loaded/);
  });
});
