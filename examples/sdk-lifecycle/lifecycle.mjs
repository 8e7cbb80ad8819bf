// One task through its whole life, create → claim → submit → accept, with the Octopoid SDK
// against a real server started in this process. Run from the repository root, after
// `npm install` (which builds the packages): node examples/sdk-lifecycle/lifecycle.mjs
import { OctopoidSDK } from '@octopoid/sdk';
import { startServer } from '@octopoid/server';

const server = await startServer({ port: 0, database: ':memory:', logLevel: 'warn' });
try {
  const sdk = new OctopoidSDK({ serverUrl: server.url, scope: 'example-lifecycle' });
  console.log(`server ${server.url}, scope ${sdk.scope}`);

  const created = await sdk.tasks.create({
    id: 'TASK-1',
    file_path: 'tasks/TASK-1.md',
    branch: 'main',
    title: 'Add a health check',
    priority: 'P1',
  });
  console.log(`1. created  ${created.id}: queue=${created.queue} version=${created.version}`);

  const claimed = await sdk.tasks.claim({
    orchestrator_id: 'local-machine-1',
    agent_name: 'implementer-1',
    lease_duration_seconds: 600,
  });
  if (claimed === null) throw new Error('nothing to claim');
  console.log(
    `2. claimed  ${claimed.id}: queue=${claimed.queue} by ${claimed.claimed_by}, lease until ${claimed.lease_expires_at}`,
  );

  const submitted = await sdk.tasks.submit(claimed.id, { commits_count: 3, turns_used: 12 });
  console.log(
    `3. submitted ${submitted.id}: queue=${submitted.queue} commits=${submitted.commits_count}`,
  );

  const accepted = await sdk.tasks.accept(submitted.id, { accepted_by: 'reviewer-1' });
  console.log(
    `4. accepted ${accepted.id}: queue=${accepted.queue} completed_at=${accepted.completed_at}`,
  );

  const next = await sdk.tasks.claim({
    orchestrator_id: 'local-machine-1',
    agent_name: 'implementer-1',
  });
  console.log(`5. next claim: ${next === null ? 'null (nothing left to claim)' : next.id}`);

  const { history } = await sdk.tasks.history(accepted.id);
  console.log(`history: ${history.map((entry) => entry.event).join(' → ')}`);
} finally {
  await server.close();
}
