// A plain Node script, no test runner: the package root must load and start a server.
import { OctopoidSDK } from '@octopoid/sdk';
import { startTestServer } from '@octopoid/testing';

const server = await startTestServer({ database: ':memory:' });
try {
  const sdk = new OctopoidSDK({ serverUrl: server.url, scope: 'script' });
  await sdk.tasks.create({ id: 't-1', file_path: 'tasks/t-1.md', branch: 'main' });
  const task = await sdk.tasks.get('t-1');
  console.log(JSON.stringify({ id: task.id, queue: task.queue }));
} finally {
  await server.close();
}
