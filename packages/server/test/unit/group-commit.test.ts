import { describe, test } from '@octopoid/testing/vitest';
import { GroupCommit } from '../../src/store/group-commit.js';

/** A flush the test finishes by hand, recording how many were started. */
function manualFlush() {
  const pending: { resolve: () => void; reject: (error: Error) => void }[] = [];
  const flush = () =>
    new Promise<void>((resolve, reject) => {
      pending.push({ resolve, reject });
    });
  return { flush, pending };
}

/** Whether `promise` has settled, looked at after pending callbacks ran. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('group commit', () => {
  test('resolves at once when every commit is flushed', async ({ expect }) => {
    const { flush, pending } = manualFlush();
    const commits = new GroupCommit(flush);
    await commits.durable();
    expect(pending).toHaveLength(0);
  });

  test('one flush covers the commits made before it began', async ({ expect }) => {
    const { flush, pending } = manualFlush();
    const commits = new GroupCommit(flush);
    commits.noteCommit();
    commits.noteCommit();
    const first = commits.durable();
    const second = commits.durable();
    expect(pending).toHaveLength(1);
    expect(await settled(first)).toBe(false);
    pending[0]?.resolve();
    await Promise.all([first, second]);
    await commits.durable();
    expect(pending).toHaveLength(1);
  });

  test('a commit made while a flush runs waits for the next flush', async ({ expect }) => {
    const { flush, pending } = manualFlush();
    const commits = new GroupCommit(flush);
    commits.noteCommit();
    const early = commits.durable();
    commits.noteCommit();
    const late = commits.durable();
    pending[0]?.resolve();
    await early;
    expect(await settled(late)).toBe(false);
    expect(pending).toHaveLength(2);
    commits.noteCommit();
    const later = commits.durable();
    pending[1]?.resolve();
    await late;
    expect(await settled(later)).toBe(false);
    pending[2]?.resolve();
    await later;
  });

  test('a failed flush fails every wait for the commits it should have covered, for good', async ({
    expect,
  }) => {
    const { flush, pending } = manualFlush();
    const commits = new GroupCommit(flush);
    commits.noteCommit();
    const first = commits.durable();
    const second = commits.durable();
    pending[0]?.reject(new Error('EIO: i/o error, fdatasync'));
    await expect(first).rejects.toThrow('EIO');
    await expect(second).rejects.toThrow('EIO');
    commits.noteCommit();
    await expect(commits.durable()).rejects.toThrow('EIO');
    expect(pending).toHaveLength(1);
  });
});
