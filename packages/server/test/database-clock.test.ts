import { OctopoidSDK } from '@octopoid/sdk';
import { startServer } from '@octopoid/server';
import { createFreshPostgresDatabase, describe, expect, test } from '@octopoid/testing/vitest';
import { claimant, mustGet, newTask } from './tasks-support.js';

const ADMIN_URL =
  process.env.OCTOPOID_TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const TEN_MINUTES = 10 * 60_000;

describe('PostgreSQL: leases follow the database’s clock, not an instance’s', () => {
  test('an instance whose clock runs 10 minutes fast neither expires others’ leases nor stamps the future', async () => {
    const database = await createFreshPostgresDatabase(ADMIN_URL);
    const quiet = { port: 0, database: database.url, logLevel: 'silent' } as const;
    const correct = await startServer(quiet);
    const fast = await startServer({ ...quiet, instanceClock: () => Date.now() + TEN_MINUTES });
    try {
      const viaCorrect = new OctopoidSDK({ serverUrl: correct.url, scope: 'skew' });
      const viaFast = new OctopoidSDK({ serverUrl: fast.url, scope: 'skew' });
      await viaCorrect.tasks.create(newTask('t1'));
      const held = await viaCorrect.tasks.claim({ ...claimant, lease_duration_seconds: 60 });

      expect(
        await viaFast.tasks.claim({ orchestrator_id: 'orch-2', agent_name: 'agent-2' }),
      ).toBeNull();
      expect(await mustGet(viaFast, 't1')).toEqual(held);

      const stamped = await viaFast.tasks.create(newTask('t2'));
      expect(Math.abs(Date.parse(stamped.created_at) - Date.now())).toBeLessThan(60_000);
    } finally {
      await Promise.all([correct.close(), fast.close()]);
      await database.drop();
    }
  });
});
