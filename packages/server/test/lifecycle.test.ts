import { describe, expect, test } from '@octopoid/testing/vitest';

const newTask = (id: string) => ({ id, file_path: `tasks/${id}.md`, branch: 'main', title: id });
const claimant = { orchestrator_id: 'orch-1', agent_name: 'agent-1' };

describe('task lifecycle', () => {
  test('a task goes create → claim → submit → accept and records each step', async ({
    scopedSdk: sdk,
  }) => {
    const created = await sdk.tasks.create(newTask('t-1'));
    expect(created).toMatchObject({ id: 't-1', queue: 'incoming', version: 1, scope: sdk.scope });

    const claimed = await sdk.tasks.claim(claimant);
    expect(claimed).toMatchObject({
      id: 't-1',
      queue: 'claimed',
      claimed_by: 'agent-1',
      version: 2,
    });

    const submitted = await sdk.tasks.submit('t-1', { commits_count: 2, turns_used: 10 });
    expect(submitted).toMatchObject({ queue: 'provisional', claimed_by: null, commits_count: 2 });

    const accepted = await sdk.tasks.accept('t-1');
    expect(accepted).toMatchObject({ queue: 'done', version: 4 });
    expect(accepted.completed_at).toMatch(/Z$/);

    const { history } = await sdk.tasks.history('t-1');
    expect(history.map((h) => h.event)).toEqual(['created', 'claimed', 'submitted', 'accepted']);
  });

  test('claim resolves null when the scope has nothing claimable', async ({ scopedSdk: sdk }) => {
    expect(await sdk.tasks.claim(claimant)).toBeNull();
  });
});
