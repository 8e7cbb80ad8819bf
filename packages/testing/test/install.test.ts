import { execFile } from 'node:child_process';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, test } from '@octopoid/testing/vitest';
import { inject } from 'vitest';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const installed = fileURLToPath(new URL('./installed/', import.meta.url));
const INSTALL_TIMEOUT_MS = 180_000;
/** The packages users install (the dashboard is private: it ships inside the server). */
const PACKAGES = ['api', 'sdk', 'server', 'testing'];

/**
 * better-sqlite3 installs a prebuilt binary, downloaded from its releases, or compiles one (a
 * C++ toolchain, minutes). This offers the repository's own build of the same version as a
 * local prebuild, which its installer takes first, so the test needs neither network nor compiler.
 */
async function localPrebuild(dir: string): Promise<Record<string, string>> {
  const sqlite = dirname(
    createRequire(join(repoRoot, 'package.json')).resolve('better-sqlite3/package.json'),
  );
  const { version } = JSON.parse(await readFile(join(sqlite, 'package.json'), 'utf8'));
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  await mkdir(dir);
  await run('tar', ['-czf', join(dir, name), 'build/Release/better_sqlite3.node'], { cwd: sqlite });
  return { npm_config_better_sqlite3_local_prebuilds: dir };
}

/** The environment of a command run in the empty project: none of this run's vitest state. */
function outsideEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST'));
  return { ...Object.fromEntries(env), NODE_ENV: undefined, ...extra };
}

describe('installing the packed packages outside this repository', () => {
  test(
    'an empty project installs the tarballs, runs a vitest suite with the kit and a plain script',
    async ({ onTestFinished }) => {
      const dir = join(tmpdir(), `octopoid-install-${process.pid}-${Date.now()}`);
      const project = join(dir, 'project');
      await mkdir(project, { recursive: true });
      onTestFinished(() => rm(dir, { recursive: true, force: true }));

      const packed = join(dir, 'packed');
      await mkdir(packed);
      const workspaces = PACKAGES.flatMap((name) => ['-w', `@octopoid/${name}`]);
      await run('npm', ['pack', ...workspaces, '--pack-destination', packed, '--silent'], {
        cwd: repoRoot,
      });
      const tarballs = (await readdir(packed)).map((file) => join(packed, file));
      expect(tarballs.map((file) => file.slice(packed.length + 1)).sort()).toEqual(
        PACKAGES.map((name) => `octopoid-${name}-0.1.0.tgz`),
      );

      await writeFile(
        join(project, 'package.json'),
        JSON.stringify({ name: 'empty-project', private: true, type: 'module' }),
      );
      await cp(installed, project, { recursive: true });
      const vitest = JSON.parse(
        await readFile(join(repoRoot, 'node_modules/vitest/package.json'), 'utf8'),
      ).version;
      const env = outsideEnv(await localPrebuild(join(dir, 'prebuilds')));
      await run(
        'npm',
        ['install', '--prefer-offline', '--no-audit', '--no-fund', ...tarballs, `vitest@${vitest}`],
        { cwd: project, env, timeout: INSTALL_TIMEOUT_MS },
      );
      // Installed as copies from the tarballs, not links back into this repository.
      const links = await run('find', ['node_modules/@octopoid', '-maxdepth', '1', '-type', 'l'], {
        cwd: project,
      });
      expect(links.stdout).toBe('');

      const script = await run(process.execPath, ['script.mjs'], { cwd: project, env });
      expect(JSON.parse(script.stdout)).toEqual({ id: 't-1', queue: 'incoming' });

      const database = inject('octopoidDatabase') ?? ':memory:';
      // In process, and as the installed CLI exactly as shipped (the kit's subprocess mode).
      for (const mode of ['in-process', 'subprocess']) {
        const suite = await run(
          process.execPath,
          ['node_modules/vitest/vitest.mjs', 'run', '--reporter=json'],
          {
            cwd: project,
            env: {
              ...env,
              OCTOPOID_TEST_DATABASE: database,
              OCTOPOID_TEST_SERVER_MODE: mode,
              EXPECTED_DIALECT: database.startsWith('postgres') ? 'postgres' : 'sqlite',
            },
          },
        );
        expect(JSON.parse(suite.stdout), mode).toMatchObject({
          numTotalTests: 2,
          numPassedTests: 2,
        });
      }

      const cli = await run(join(project, 'node_modules/.bin/octopoid-server'), ['--version'], {
        cwd: project,
        env,
      });
      expect(cli.stdout.trim()).toBe('0.1.0');
    },
    INSTALL_TIMEOUT_MS + 60_000,
  );
});
