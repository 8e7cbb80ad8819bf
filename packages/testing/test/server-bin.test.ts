import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, serverBin, test } from '@octopoid/testing/vitest';

/**
 * A server package folder whose build ran at `builtAt` and whose source changed at `editedAt`:
 * a checkout (with its `tsconfig.json`) or, with `installed`, a package as npm unpacks it.
 */
async function packageDir(
  builtAt: Date,
  editedAt: Date,
  onTestFinished: (fn: () => Promise<void>) => void,
  installed = false,
) {
  const dir = await mkdtemp(join(tmpdir(), 'octopoid-bin-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  await mkdir(join(dir, 'src', 'http'), { recursive: true });
  await mkdir(join(dir, 'dist'));
  const source = join(dir, 'src', 'http', 'app.ts');
  const buildInfo = join(dir, 'dist', '.tsbuildinfo');
  await writeFile(source, '');
  await writeFile(buildInfo, '');
  if (!installed) await writeFile(join(dir, 'tsconfig.json'), '{}');
  await utimes(source, editedAt, editedAt);
  await utimes(buildInfo, builtAt, builtAt);
  return dir;
}

describe('the binary subprocess mode runs', () => {
  test('is the build of the package when no source is newer than it', async ({
    onTestFinished,
  }) => {
    const dir = await packageDir(new Date(2_000_000), new Date(1_000_000), onTestFinished);
    expect(serverBin(dir)).toBe(join(dir, 'bin', 'octopoid-server.js'));
  });

  test('is refused when a source file, however deep, changed after the build', async ({
    onTestFinished,
  }) => {
    const dir = await packageDir(new Date(1_000_000), new Date(2_000_000), onTestFinished);
    expect(() => serverBin(dir)).toThrow(
      `the octopoid-server build in ${join(dir, 'dist')} is older than its sources; build it first`,
    );
  });

  test('is the shipped build of an installed package, whatever the order its files were unpacked in', async ({
    onTestFinished,
  }) => {
    const dir = await packageDir(new Date(1_000_000), new Date(2_000_000), onTestFinished, true);
    expect(serverBin(dir)).toBe(join(dir, 'bin', 'octopoid-server.js'));
  });

  test('in this repository is the current build (npm test builds before it tests)', () => {
    expect(serverBin()).toMatch(/packages\/server\/bin\/octopoid-server\.js$/);
  });
});
