import { OctopoidSDK } from '@octopoid/sdk';
import { startServer } from '@octopoid/server';
import { createFreshPostgresDatabase, describe, expect, test } from '@octopoid/testing/vitest';
import { claimant, events, newTask, send } from './tasks-support.js';

const ADMIN_URL =
  process.env.OCTOPOID_TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const TASKS = 40;
const CLAIMERS = 16;

describe('two server instances sharing one PostgreSQL database', () => {
  test('never hand one task to two claimers, and never answer 409', async () => {
    const database = await createFreshPostgresDatabase(ADMIN_URL);
    const servers = await Promise.all(
      [1, 2].map(() => startServer({ port: 0, database: database.url, logLevel: 'silent' })),
    );
    try {
      const clients = servers.map((s) => new OctopoidSDK({ serverUrl: s.url, scope: 'shared' }));
      const [first] = clients as [OctopoidSDK, OctopoidSDK];
      for (let i = 0; i < TASKS; i++) await first.tasks.create(newTask(`t-${i}`));
      const claimed: string[] = [];
      await Promise.all(
        Array.from({ length: CLAIMERS }, async (_, n) => {
          const client = clients[n % clients.length] as OctopoidSDK;
          for (;;) {
            const task = await client.tasks.claim({ ...claimant, agent_name: `agent-${n}` });
            if (!task) return;
            claimed.push(task.id);
          }
        }),
      );
      expect(claimed).toHaveLength(TASKS);
      expect(new Set(claimed).size).toBe(TASKS);
      const { tasks } = await first.tasks.page({ queue: 'claimed', limit: 500 });
      expect(tasks).toHaveLength(TASKS);
    } finally {
      await Promise.all(servers.map((s) => s.close()));
      await database.drop();
    }
  });

  test('answer a claim retried on the other instance with the first claim’s task', async () => {
    const database = await createFreshPostgresDatabase(ADMIN_URL);
    const servers = await Promise.all(
      [1, 2].map(() => startServer({ port: 0, database: database.url, logLevel: 'silent' })),
    );
    const claimOn = (server: { url: string }, key: string) =>
      send(server.url, 'POST', '/tasks/claim', {
        query: { scope: 'shared' },
        json: claimant,
        headers: { 'idempotency-key': key },
      });
    try {
      const [a, b] = servers as [(typeof servers)[0], (typeof servers)[0]];
      const sdk = new OctopoidSDK({ serverUrl: a.url, scope: 'shared' });
      for (let i = 0; i < 4; i++) await sdk.tasks.create(newTask(`t-${i}`));

      const first = await claimOn(a, 'key-1');
      const retried = await claimOn(b, 'key-1');
      expect(retried.body).toMatchObject({
        id: first.body.id,
        lease_token: first.body.lease_token,
      });

      // The same key at both at once: one claim is made, both answer it.
      const both = await Promise.all([claimOn(a, 'key-2'), claimOn(b, 'key-2')]);
      expect(both.map((r) => r.status)).toEqual([200, 200]);
      expect(both[1]?.body.id).toBe(both[0]?.body.id);
      expect(await sdk.tasks.page({ queue: 'claimed' })).toMatchObject({ total: 2 });
    } finally {
      await Promise.all(servers.map((s) => s.close()));
      await database.drop();
    }
  });

  test('of claims racing with one key on both instances, one claims and all answer its task', async () => {
    const database = await createFreshPostgresDatabase(ADMIN_URL);
    const servers = await Promise.all(
      [1, 2].map(() => startServer({ port: 0, database: database.url, logLevel: 'silent' })),
    );
    try {
      const sdk = new OctopoidSDK({ serverUrl: servers[0]?.url as string, scope: 'shared' });
      for (let i = 0; i < 12; i++) await sdk.tasks.create(newTask(`t-${i}`));
      const ids: string[] = [];
      for (let round = 0; round < 8; round++) {
        const answers = await Promise.all(
          [0, 1, 2, 3].map((n) =>
            send((servers[n % 2] as { url: string }).url, 'POST', '/tasks/claim', {
              query: { scope: 'shared' },
              json: claimant,
              headers: { 'idempotency-key': `key-${round}` },
            }),
          ),
        );
        expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
        const [first] = answers.map((a) => a.body);
        for (const { body } of answers) {
          expect(body).toMatchObject({ id: first.id, lease_token: first.lease_token });
        }
        ids.push(first.id);
      }
      expect(new Set(ids).size).toBe(8);
      expect(await sdk.tasks.page({ queue: 'claimed' })).toMatchObject({ total: 8 });
      for (const id of ids) expect(await events(sdk, id)).toEqual(['created', 'claimed']);
      expect((await sdk.scopes.get())?.counts.claim_replays).toBe(8);
    } finally {
      await Promise.all(servers.map((s) => s.close()));
      await database.drop();
    }
  });
});
