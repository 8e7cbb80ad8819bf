import { Command, InvalidArgumentError, Option } from 'commander';
import { readAdminKey } from './admin-key-source.js';
import { AUTH_MODES, type AuthMode, DEFAULT_AUTH_MODE } from './domain/auth/mode.js';
import { createLogger, type LogLevel } from './logger.js';
import { parseScopeTtl, type ScopeTtlRule } from './scope-ttl.js';
import { startServer } from './start-server.js';
import { migrations } from './store/migrations/index.js';
import { migrate } from './store/migrator.js';
import { openStore } from './store/store.js';
import { SERVER_VERSION } from './version.js';

const DEFAULT_DATABASE = process.env.OCTOPOID_DATABASE ?? '.octopoid/octopoid.db';

function positiveInt(name: string, min = 1) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min)
      throw new InvalidArgumentError(`${name} must be an integer ≥ ${min}`);
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

const databaseOption = () =>
  new Option('--db <location>', 'SQLite file, :memory:, or postgres:// URL').default(
    DEFAULT_DATABASE,
  );

const program = new Command('octopoid-server')
  .description('Scoped task-queue server for AI-agent orchestrators')
  .version(SERVER_VERSION);

program
  .command('serve')
  .description('run the server (migrations are applied at start)')
  .option('--port <port>', 'TCP port (0 = any free port)', positiveInt('port', 0), 8787)
  .option('--host <host>', 'interface to bind', '127.0.0.1')
  .addOption(databaseOption())
  .option(
    '--lease-sweep-seconds <n>',
    'seconds between lease sweeps',
    positiveInt('lease-sweep-seconds'),
    15,
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
      'bearer token that may act on every scope (≥ 32 characters); prefer the environment ' +
        'variable or --admin-key-file: a command line is visible to every local user',
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
  .addOption(
    new Option('--log-level <level>', 'log level')
      .choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
  )
  .action(async (opts, command: Command) => {
    const logger = createLogger(opts.logLevel as LogLevel);
    if (command.getOptionValueSource('adminKey') === 'cli') {
      logger.warn(
        'the admin key was given on the command line, which every local user can read in the ' +
          'process list: use OCTOPOID_ADMIN_KEY or --admin-key-file instead',
      );
    }
    const adminKey =
      opts.adminKeyFile === undefined ? opts.adminKey : await readAdminKey(opts.adminKeyFile);
    const server = await startServer({
      port: opts.port,
      host: opts.host,
      database: opts.db,
      leaseSweepSeconds: opts.leaseSweepSeconds,
      defaultScope: opts.defaultScope,
      testMode: opts.testMode ?? false,
      auth: opts.auth as AuthMode,
      legacyUnscopedIds: opts.legacyUnscopedIds ?? false,
      adminKey,
      openRegistration: opts.openRegistration ?? false,
      corsOrigins: opts.corsOrigin,
      scopeTtl: opts.scopeTtl,
      logger,
    });
    const shutdown = (signal: string) => {
      logger.info({ signal }, 'shutting down: finishing in-flight requests');
      server.close().then(
        () => process.exit(0),
        (err) => {
          logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
    // Started with an IPC channel (the testing kit's subprocess servers): the channel closes when
    // the parent dies, even by SIGKILL, and a server nobody started any more must not linger.
    if (process.send) process.once('disconnect', () => shutdown('parent gone'));
  });

program
  .command('migrate')
  .description('apply pending migrations and exit; refuses a database that has drifted')
  .addOption(databaseOption())
  .action(async (opts) => {
    const store = await openStore(opts.db);
    try {
      const report = await migrate(store, migrations);
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
