import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import pg from 'pg';

export interface FreshDatabase {
  /** Connection URL of the new, empty database. */
  url: string;
  /** Drops the database (closing connections other clients left open). */
  drop(): Promise<void>;
  /** Keeps the database after this process ends (for inspection): its janitor stands down. */
  keep(): Promise<void>;
}

/**
 * Creates an empty, uniquely named PostgreSQL database through an admin connection, so a test
 * run gets the real migrations on a clean schema and never inherits another run's state. A
 * janitor process drops it should this process end without calling `drop()` (an interrupted run).
 */
export async function createFreshPostgresDatabase(adminUrl: string): Promise<FreshDatabase> {
  const name = `octopoid_test_${Date.now()}_${randomBytes(4).toString('hex')}`;
  await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const janitor = await startJanitor(adminUrl, name);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await dropDatabase(adminUrl, name);
      await release(janitor);
    },
    keep: () => release(janitor),
  };
}

/** Drops `database` (closing the connections other clients left open). */
export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  await withAdmin(adminUrl, (client) =>
    client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`),
  );
}

/** The built janitor script: `dist/janitor.js` of this package. */
function janitorScript(): string {
  return join(dirname(createRequire(import.meta.url).resolve('@octopoid/testing')), 'janitor.js');
}

/**
 * Starts the janitor of `database` and resolves once it watches this process; `undefined`, with
 * a warning, when the package is not built (`npm run build`): the run then drops the database
 * only when it ends normally.
 */
async function startJanitor(adminUrl: string, database: string): Promise<ChildProcess | undefined> {
  const script = janitorScript();
  if (!existsSync(script)) {
    console.warn(
      `octopoid: ${script} is missing (run npm run build); an interrupted run leaves ${database}`,
    );
    return undefined;
  }
  const janitor = fork(script, [JSON.stringify({ adminUrl, database })], {
    // Its own process group, so a Ctrl-C to the run's group does not stop it before it acts.
    detached: true,
    execArgv: [],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    janitor.once('message', () => resolve());
    janitor.once('exit', (code) => reject(new Error(`the test database janitor exited (${code})`)));
  });
  // Neither the janitor nor its channel may keep this process alive.
  janitor.unref();
  janitor.channel?.unref();
  return janitor;
}

async function release(janitor: ChildProcess | undefined): Promise<void> {
  if (!janitor || janitor.exitCode !== null || !janitor.connected) return;
  const gone = once(janitor, 'exit');
  // Unreferenced, its exit would not keep a script's event loop alive: awaiting it would then
  // end the script with a top-level await unsettled (exit code 13).
  janitor.ref();
  janitor.send('release');
  await gone;
}

async function withAdmin<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect().catch((error: NodeJS.ErrnoException) => {
    throw new Error(
      `cannot reach PostgreSQL at ${redact(adminUrl)} (${error.code ?? error.message}) to ` +
        'create a fresh test database: start it, or set OCTOPOID_TEST_POSTGRES_URL to another server',
      { cause: error },
    );
  });
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
