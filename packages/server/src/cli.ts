import { Command, InvalidArgumentError, Option } from 'commander';
import { readAdminKey } from './admin-key-source.js';
import { MIN_ADMIN_KEY_LENGTH } from './domain/auth/admin.js';
import { AUTH_MODES, type AuthMode, DEFAULT_AUTH_MODE } from './domain/auth/mode.js';
import { DEFAULT_STREAM_LIMITS } from './domain/scope-events.js';
import { DEFAULT_MAX_SCOPE_COPY_BYTES } from './domain/scopes/copy-budget.js';
import { DEFAULT_HTTP_TIMEOUTS } from './http-timeouts.js';
import { createLogger, type LogLevel } from './logger.js';
import { parseScopeTtl, type ScopeTtlRule } from './scope-ttl.js';
import { startServer } from './start-server.js';
import { type DatabaseLocation, parseDatabaseLocation } from './store/location.js';
import { migrate } from './store/migrator.js';
import { openStore } from './store/open.js';
import { prepareSqliteFile } from './store/sqlite-file.js';
import { SERVER_VERSION } from './version.js';

/** How long a stop may take before the process exits anyway, in ms. */
const SHUTDOWN_DEADLINE_MS = 10_000;

const DEFAULT_DATABASE = '.octopoid/octopoid.db';

function integer(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string) => {
    // Decimal digits only: Number() would also take `0x10`, `1e3` and surrounding blanks.
    const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(
        max === Number.MAX_SAFE_INTEGER
          ? `It must be an integer ≥ ${min}.`
          : `It must be an integer from ${min} to ${max}.`,
      );
    }
    return n;
  };
}

function scopeTtlRule(spec: string, previous: ScopeTtlRule[]): ScopeTtlRule[] {
  try {
    return [...previous, parseScopeTtl(spec)];
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

const repeatable = (value: string, previous: string[]) => [...previous, value];

const databaseOptions = (command: Command) =>
  command
    .addOption(
      new Option(
        '--db <location>',
        'SQLite file, :memory:, sqlite:PATH, or postgres:// URL (a relative path is taken from ' +
          'the current folder)',
      )
        .env('OCTOPOID_DATABASE')
        .default(DEFAULT_DATABASE),
    )
    .option('--create-db-dir', "create the SQLite file's folder when it is missing");

/**
 * The database the command's `--db` names, checked before anything is created: a SQLite file's
 * folder must exist (the default one, or with `--create-db-dir`, is created) and be writable.
 */
function databaseOf(command: Command): DatabaseLocation {
  const { db, createDbDir } = command.opts<{ db: string; createDbDir?: boolean }>();
  const from = command.getOptionValueSource('db');
  const source = from === 'env' ? 'OCTOPOID_DATABASE' : '--db';
  const location = parseDatabaseLocation(db, source);
  if (location.kind === 'sqlite-file') {
    prepareSqliteFile(location.path, createDbDir === true || from === 'default', {
      source,
      createDirHint: '--create-db-dir',
    });
  }
  return location;
}

/** Where the admin key came from, for a message that must not show the key itself. */
function adminKeySource(command: Command): string {
  if (command.getOptionValue('adminKeyFile') !== undefined) {
    return command.getOptionValueSource('adminKeyFile') === 'env'
      ? 'the file OCTOPOID_ADMIN_KEY_FILE names'
      : 'the file --admin-key-file names';
  }
  return command.getOptionValueSource('adminKey') === 'env' ? 'OCTOPOID_ADMIN_KEY' : '--admin-key';
}

const program = new Command('octopoid-server')
  .description('Scoped task-queue server for AI-agent orchestrators')
  .version(SERVER_VERSION);

const serve = program
  .command('serve')
  .description('run the server (migrations are applied at start)')
  .option('--port <port>', 'TCP port (0 = any free port)', integer(0, 65_535), 8787)
  .option('--host <host>', 'interface to bind', '127.0.0.1');
databaseOptions(serve)
  .option('--lease-sweep-seconds <n>', 'seconds between lease sweeps', integer(1), 15)
  .option(
    '--pg-pool-size <n>',
    'PostgreSQL: connections this instance may hold at once',
    integer(1, 1000),
    10,
  )
  .option(
    '--max-attempts <n>',
    'claims a task may take before it fails (attempts_exhausted), unless it sets max_attempts',
    integer(1),
    5,
  )
  .option(
    '--retry-backoff-seconds <n>',
    'wait after a failed attempt before the task is claimable again; doubles per attempt',
    integer(0),
    10,
  )
  .option('--default-scope <scope>', 'scope for requests that name none')
  .option('--test-mode', 'serve /api/v1/test/* (fault rules, scope clocks); for test suites only')
  .addOption(
    new Option('--auth <mode>', 'API keys: off (ignored), optional (checked when sent), required')
      .choices(AUTH_MODES)
      .default(DEFAULT_AUTH_MODE),
  )
  .addOption(
    new Option(
      '--admin-key <key>',
      `bearer token that may act on every scope (≥ ${MIN_ADMIN_KEY_LENGTH} characters); prefer ` +
        'the environment variable or --admin-key-file: a command line is visible to every local user',
    ).env('OCTOPOID_ADMIN_KEY'),
  )
  .addOption(
    new Option('--admin-key-file <path>', 'read the admin key from this file')
      .env('OCTOPOID_ADMIN_KEY_FILE')
      .conflicts('adminKey'),
  )
  .option(
    '--open-registration',
    'auth required: a key-less registration may create a new, empty scope (default: only the ' +
      'admin key creates scopes)',
  )
  .option(
    '--cors-origin <origin>',
    'browser origin allowed to call the server (https://app.example.com); repeatable',
    repeatable,
    [],
  )
  .option(
    '--legacy-unscoped-ids',
    'resolve by-id requests that name no scope to the one scope holding the id (v1 clients)',
  )
  .option(
    '--scope-ttl <pattern=duration>',
    'purge scopes matching PATTERN (* = any characters) after DURATION (90s, 30m, 24h, 7d) ' +
      'without activity; repeatable',
    scopeTtlRule,
    [],
  )
  .option('--max-body-bytes <n>', 'largest request body in bytes', integer(1), 1024 * 1024)
  .option(
    '--max-json-depth <n>',
    'how deeply a JSON body may nest arrays and objects',
    integer(1, 10_000),
    32,
  )
  .option(
    '--max-event-streams <n>',
    'event streams (GET /api/v1/events) open at once on this server',
    integer(1),
    DEFAULT_STREAM_LIMITS.perServer,
  )
  .option(
    '--max-event-streams-per-scope <n>',
    'event streams open at once per scope',
    integer(1),
    DEFAULT_STREAM_LIMITS.perScope,
  )
  .option(
    '--max-scope-copy-bytes <n>',
    'the most row text one scope clone or merge copies, in bytes (larger scopes get a 413)',
    integer(1),
    DEFAULT_MAX_SCOPE_COPY_BYTES,
  )
  .option(
    '--headers-timeout-ms <ms>',
    "time a client has to send a request's headers; a slower one gets a 408 and is disconnected",
    integer(1, 3_600_000),
    DEFAULT_HTTP_TIMEOUTS.headersTimeoutMs,
  )
  .option(
    '--request-timeout-ms <ms>',
    'time a client has to send a whole request, body included (not counting the answer: ' +
      'long-poll claims wait after it); at least --headers-timeout-ms',
    integer(1, 3_600_000),
    DEFAULT_HTTP_TIMEOUTS.requestTimeoutMs,
  )
  .option(
    '--keep-alive-timeout-ms <ms>',
    'how long an idle keep-alive connection waits for its next request',
    integer(1, 3_600_000),
    DEFAULT_HTTP_TIMEOUTS.keepAliveTimeoutMs,
  )
  .addOption(
    new Option('--log-level <level>', 'log level')
      .choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
  )
  .action(async (opts, command: Command) => {
    const adminKey =
      opts.adminKeyFile === undefined ? opts.adminKey : await readAdminKey(opts.adminKeyFile);
    // Checked here rather than by an argument parser, whose message would echo the key.
    if (adminKey !== undefined && adminKey.length < MIN_ADMIN_KEY_LENGTH) {
      command.error(
        `error: ${adminKeySource(command)} must be at least ${MIN_ADMIN_KEY_LENGTH} characters`,
      );
    }
    const database = databaseOf(command);
    const logger = createLogger(opts.logLevel as LogLevel);
    if (command.getOptionValueSource('adminKey') === 'cli') {
      logger.warn(
        'the admin key was given on the command line, which every local user can read in the ' +
          'process list: use OCTOPOID_ADMIN_KEY or --admin-key-file instead',
      );
    }
    if (opts.requestTimeoutMs < opts.headersTimeoutMs) {
      command.error(
        `error: --request-timeout-ms (${opts.requestTimeoutMs}) must be at least ` +
          `--headers-timeout-ms (${opts.headersTimeoutMs}): the whole request includes its headers`,
      );
    }
    // Signals are heard from the start: the first log line (listening) may reach a reader, who
    // may answer it with SIGTERM, before the start resolves here.
    const starting = startServer({
      port: opts.port,
      host: opts.host,
      database,
      leaseSweepSeconds: opts.leaseSweepSeconds,
      maxAttempts: opts.maxAttempts,
      postgresPoolSize: opts.pgPoolSize,
      retryBackoffSeconds: opts.retryBackoffSeconds,
      defaultScope: opts.defaultScope,
      testMode: opts.testMode ?? false,
      auth: opts.auth as AuthMode,
      legacyUnscopedIds: opts.legacyUnscopedIds ?? false,
      adminKey,
      openRegistration: opts.openRegistration ?? false,
      corsOrigins: opts.corsOrigin,
      scopeTtl: opts.scopeTtl,
      maxBodyBytes: opts.maxBodyBytes,
      maxJsonDepth: opts.maxJsonDepth,
      maxEventStreams: opts.maxEventStreams,
      maxEventStreamsPerScope: opts.maxEventStreamsPerScope,
      maxScopeCopyBytes: opts.maxScopeCopyBytes,
      headersTimeoutMs: opts.headersTimeoutMs,
      requestTimeoutMs: opts.requestTimeoutMs,
      keepAliveTimeoutMs: opts.keepAliveTimeoutMs,
      logger,
    });
    let stopping = false;
    const shutdown = (signal: string) => {
      stopping = true;
      logger.info({ signal }, 'shutting down: finishing in-flight requests');
      // Graceful close ends held, waiting and streaming requests itself; this deadline is for
      // whatever still hangs (a stuck write, a peer that never lets go), so a stopped server
      // never lingers — least of all one whose parent is gone and waits for nobody.
      setTimeout(() => {
        logger.warn({ signal, deadlineMs: SHUTDOWN_DEADLINE_MS }, 'shutdown deadline passed');
        process.exit(1);
      }, SHUTDOWN_DEADLINE_MS).unref();
      starting
        .then((server) => server.close())
        .then(
          () => {
            logger.info('octopoid server stopped');
            process.exit(0);
          },
          (err) => {
            logger.error({ err }, 'shutdown failed');
            process.exit(1);
          },
        );
    };
    process.once('SIGINT', (signal) => stopping || shutdown(signal));
    process.once('SIGTERM', (signal) => stopping || shutdown(signal));
    // Started with an IPC channel (the testing kit's subprocess servers): the channel closes when
    // the parent dies, even by SIGKILL, and a server nobody started any more must not linger.
    // Its output went to that parent: logging, or the logger's flush at exit, can block for good
    // on a pipe nobody reads, so it closes without a word and ends itself once closed (or at the
    // deadline) with a signal no exit handler can hold up. The database is closed by then.
    if (process.send) {
      process.once('disconnect', () => {
        // A stop already under way (a signal) ends the usual way; the channel also closes as
        // that stop exits.
        if (stopping) return;
        stopping = true;
        const end = () => process.kill(process.pid, 'SIGKILL');
        setTimeout(end, SHUTDOWN_DEADLINE_MS);
        starting.then((server) => server.close()).then(end, end);
      });
    }
    await starting;
  });

const migrateCommand = program
  .command('migrate')
  .description('apply pending migrations and exit; refuses a database that has drifted');
databaseOptions(migrateCommand).action(async (_opts, command: Command) => {
  const store = await openStore(databaseOf(command));
  try {
    const report = await migrate(store);
    for (const name of report.applied) console.log(`applied ${name}`);
    console.log(
      `${report.applied.length} applied, ${report.alreadyApplied.length} already applied`,
    );
  } finally {
    await store.close();
  }
});

program.parseAsync().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
