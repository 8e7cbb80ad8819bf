/**
 * Drops a test run's fresh PostgreSQL database once the run's process is gone, however it ended
 * (Ctrl-C, SIGTERM, SIGKILL, a crash): vitest exits at once on a signal, too soon for its own
 * clean-up to reach the database. Started by {@link ./postgres.ts} with an IPC channel and the
 * job as JSON in `argv[2]` (`{ adminUrl, database }`); the message `release` (the run dropped
 * the database itself) ends it without doing anything.
 */
import { dropDatabase } from './postgres.js';

const job = JSON.parse(process.argv[2] ?? '{}') as { adminUrl: string; database: string };

function dropAndExit(): void {
  dropDatabase(job.adminUrl, job.database).then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(`octopoid: could not drop test database ${job.database}:`, error);
      process.exit(1);
    },
  );
}

process.on('message', (message) => {
  if (message === 'release') process.exit(0);
});
if (process.connected) {
  process.once('disconnect', dropAndExit);
  process.send?.('ready');
} else {
  dropAndExit();
}
