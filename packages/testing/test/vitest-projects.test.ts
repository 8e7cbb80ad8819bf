import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, test } from '@octopoid/testing/vitest';
import { BACKEND_INDEPENDENT, POSTGRES_ONLY, SQLITE_ONLY } from '../../../vitest.config.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The projects vitest itself assigns each test file, keyed by path from the repository root. */
async function projectsOfEveryFile(): Promise<Map<string, string[]>> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST')),
  );
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [join(repoRoot, 'node_modules/vitest/vitest.mjs'), 'list', '--filesOnly', '--json'],
    { cwd: repoRoot, env, maxBuffer: 16 * 1024 * 1024 },
  );
  const projects = new Map<string, string[]>();
  for (const { file, projectName } of JSON.parse(stdout) as {
    file: string;
    projectName: string;
  }[]) {
    const path = relative(repoRoot, file);
    projects.set(path, [...(projects.get(path) ?? []), projectName].sort());
  }
  return projects;
}

let listed: Promise<Map<string, string[]>> | undefined;
/** `projectsOfEveryFile`, asked once for the file's tests. */
const listedProjects = () => {
  listed ??= projectsOfEveryFile();
  return listed;
};

/** Every test file on disk under `packages/*\/test` and `examples/*\/test`, types tests too. */
function testFilesOnDisk(): string[] {
  return ['packages', 'examples'].flatMap((top) =>
    readdirSync(join(repoRoot, top)).flatMap((name) => {
      const dir = join(top, name, 'test');
      if (!existsSync(join(repoRoot, dir))) return [];
      return readdirSync(join(repoRoot, dir), { recursive: true, encoding: 'utf8' })
        .filter((file) => /\.test(-d)?\.ts$/.test(file) && !file.includes('node_modules'))
        .map((file) => join(dir, file));
    }),
  );
}

/**
 * What makes a file depend on the project's backend: the run's server and its scopes, servers
 * and databases of a test's own on the project's backend, or the project's database itself.
 */
const FOLLOWS_PROJECT_BACKEND =
  /\b(scopedSdk|serverUrl|startPrivateServer|startInProcessServer|testDatabase|octopoidDatabase)\b/;
const LOCAL_IMPORT = /from '(\.{1,2}\/[^']+)\.js'/g;

/** Whether `file` (from the repository root) or a local module it imports follows the backend. */
function followsProjectBackend(file: string, seen = new Set<string>()): boolean {
  if (seen.has(file)) return false;
  seen.add(file);
  const text = readFileSync(join(repoRoot, file), 'utf8');
  if (FOLLOWS_PROJECT_BACKEND.test(text)) return true;
  return [...text.matchAll(LOCAL_IMPORT)].some(([, specifier]) => {
    const module = relative(repoRoot, resolve(repoRoot, dirname(file), `${specifier}.ts`));
    return existsSync(join(repoRoot, module)) && followsProjectBackend(module, seen);
  });
}

const LISTS = { BACKEND_INDEPENDENT, SQLITE_ONLY, POSTGRES_ONLY };
/** The lists' entries naming one file each (the rest are globs, e.g. every `unit` folder). */
const named = (list: readonly string[]) => list.filter((entry) => !entry.includes('*'));

describe('the vitest projects account for every test file', () => {
  test('each file runs in the projects its list says, and nowhere else', async () => {
    const projects = await listedProjects();
    const notRun = testFilesOnDisk().filter((file) => !projects.has(file));
    expect(notRun, 'test files no project runs').toEqual([]);

    const wrong: string[] = [];
    for (const [file, ran] of projects) {
      const expected = SQLITE_ONLY.includes(file)
        ? ['sqlite']
        : POSTGRES_ONLY.includes(file)
          ? ['postgres']
          : named(BACKEND_INDEPENDENT).includes(file)
            ? ['sqlite']
            : undefined;
      if (expected && ran.join() !== expected.join()) wrong.push(`${file}: ${ran.join(', ')}`);
    }
    expect(wrong, 'files run outside the project their list names').toEqual([]);
  });

  test('every named entry is a test file, in one list only', () => {
    const entries = Object.entries(LISTS).flatMap(([list, files]) =>
      named(files).map((file) => ({ list, file })),
    );
    const stale = entries.filter(({ file }) => !existsSync(join(repoRoot, file)));
    expect(stale, 'entries naming no file (renamed or removed?)').toEqual([]);
    const twice = entries.filter(
      ({ file }, i) => entries.findIndex((other) => other.file === file) !== i,
    );
    expect(twice, 'files named in two lists').toEqual([]);
  });

  test('a file that cannot depend on the backend runs once', async () => {
    const projects = await listedProjects();
    const twice = [...projects]
      .filter(([file, ran]) => ran.length > 1 && !followsProjectBackend(file))
      .map(([file]) => file);
    expect(
      twice,
      'files run on both backends that use neither the run’s server nor a server or database of ' +
        'the project’s backend: add them to BACKEND_INDEPENDENT',
    ).toEqual([]);
  });
});
