import type { Message, MessageCreateInput } from '@octopoid/api';
import { describe, expect, test } from '@octopoid/testing/vitest';
import { expectError, expectSdkError, newTask, send } from './tasks-support.js';

const note = (task_id: string, extra: Partial<MessageCreateInput> = {}): MessageCreateInput => ({
  task_id,
  from_actor: 'agent-1',
  type: 'comment',
  content: `about ${task_id}`,
  ...extra,
});

/** Oldest first, ties in time broken by id: the order every message list promises. */
const inListOrder = (messages: Message[]) =>
  [...messages].sort((a, b) =>
    a.created_at === b.created_at ? (a.id < b.id ? -1 : 1) : a.created_at < b.created_at ? -1 : 1,
  );

const ids = (messages: Message[]) => messages.map((m) => m.id);

describe('POST /messages', () => {
  test('a message on a task of the scope is stored with a server-made id', async ({
    scopedSdk: sdk,
  }) => {
    await sdk.tasks.create(newTask('t-1'));
    const message = await sdk.messages.create(note('t-1', { to_actor: 'human' }));
    expect(message).toEqual({
      id: expect.stringMatching(/^msg-\d{13}-[0-9a-z]{6}$/),
      scope: sdk.scope,
      task_id: 't-1',
      from_actor: 'agent-1',
      to_actor: 'human',
      type: 'comment',
      content: 'about t-1',
      parent_message_id: null,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    expect(await sdk.messages.list()).toEqual([message]);
  });

  test('a message names its task by id: one the scope does not hold is accepted, in the scope', async ({
    scopedSdk: sdk,
  }) => {
    const other = sdk.withScope(`${sdk.scope}-other`);
    await other.tasks.create(newTask('t-1'));
    try {
      const onForeignId = await sdk.messages.create(note('t-1'));
      const onMissing = await sdk.messages.create(note('t-missing'));
      expect(onMissing).toMatchObject({ scope: sdk.scope, task_id: 't-missing' });
      expect(await sdk.messages.list()).toEqual(inListOrder([onForeignId, onMissing]));
      expect((await sdk.messages.forTask('t-missing')).messages).toEqual([onMissing]);
      expect((await other.messages.forTask('t-1')).messages).toEqual([]);
      expect(await other.messages.list()).toEqual([]);
    } finally {
      await other.scopes.purge();
    }
  });

  test('a reply must answer a message of the same scope on the same task', async ({
    scopedSdk: sdk,
  }) => {
    const other = sdk.withScope(`${sdk.scope}-other`);
    await sdk.tasks.create(newTask('t-1'));
    await sdk.tasks.create(newTask('t-2'));
    await other.tasks.create(newTask('t-1'));
    try {
      const onOtherTask = await sdk.messages.create(note('t-2'));
      const inOtherScope = await other.messages.create(note('t-1'));
      for (const parent of [onOtherTask.id, inOtherScope.id, 'msg-1-unknown']) {
        await expectSdkError(
          sdk.messages.create(note('t-1', { parent_message_id: parent })),
          400,
          'validation_failed',
          'parent_message_id',
        );
      }
      expect(ids(await sdk.messages.list())).toEqual([onOtherTask.id]);
      expect(ids(await other.messages.list())).toEqual([inOtherScope.id]);
    } finally {
      await other.scopes.purge();
    }
  });

  test('malformed message bodies answer 400 naming the field and store nothing', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    await sdk.tasks.create(newTask('t-1'));
    const valid = { ...note('t-1'), scope: sdk.scope };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...valid, task_id: undefined }, 'task_id'],
      [{ ...valid, from_actor: undefined }, 'from_actor'],
      [{ ...valid, type: undefined }, 'type'],
      [{ ...valid, content: undefined }, 'content'],
      [{ ...valid, content: '' }, 'content'],
      [{ ...valid, content: 42 }, 'content'],
      [{ ...valid, from_actor: ['agent'] }, 'from_actor'],
      [{ ...valid, to_actor: 7 }, 'to_actor'],
      [{ ...valid, parent_message_id: {} }, 'parent_message_id'],
    ];
    for (const [json, field] of cases) {
      expectError(
        await send(serverUrl, 'POST', '/messages', { json }),
        400,
        'validation_failed',
        field,
      );
    }
    const broken = await send(serverUrl, 'POST', '/messages', {
      query: { scope: sdk.scope as string },
      raw: '{"task_id": "t-1",',
      contentType: 'application/json',
    });
    expectError(broken, 400, 'malformed_json');
    expect(await sdk.messages.list()).toEqual([]);
  });
});

describe('GET /messages', () => {
  test('messages list oldest first, ties broken by id, and filters combine', async ({
    scopedSdk: sdk,
  }) => {
    await sdk.tasks.create(newTask('t-1'));
    await sdk.tasks.create(newTask('t-2'));
    const posted = [];
    for (const [task, to_actor, type] of [
      ['t-1', 'human', 'question'],
      ['t-1', 'agent-2', 'question'],
      ['t-2', 'human', 'question'],
      ['t-1', 'human', 'comment'],
    ] as const) {
      posted.push(await sdk.messages.create(note(task, { to_actor, type })));
    }
    const everything = await sdk.messages.page();
    expect(everything).toMatchObject({ total: 4, offset: 0, limit: 50 });
    expect(everything.messages).toEqual(inListOrder(posted));
    const filtered = await sdk.messages.list({
      task_id: 't-1',
      to_actor: 'human',
      type: 'question',
    });
    expect(ids(filtered)).toEqual([posted[0]?.id]);
    expect(ids(await sdk.messages.list({ type: 'question' }))).toEqual(
      ids(inListOrder(posted.slice(0, 3))),
    );
  });

  test('limit and offset page the list; bad values answer 400 naming them', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    await sdk.tasks.create(newTask('t-1'));
    const posted = [];
    for (let i = 0; i < 3; i++) posted.push(await sdk.messages.create(note('t-1')));
    const page = await sdk.messages.page({ limit: 2, offset: 1 });
    expect(page).toMatchObject({ total: 3, offset: 1, limit: 2 });
    expect(page.messages).toEqual(inListOrder(posted).slice(1));
    for (const [key, value] of [
      ['limit', 0],
      ['limit', 'many'],
      ['limit', 501],
      ['offset', -1],
      ['unreplied', 'yes'],
    ] as const) {
      const response = await send(serverUrl, 'GET', '/messages', {
        query: { scope: sdk.scope as string, [key]: value },
      });
      expectError(response, 400, 'validation_failed', `query.${key}`);
    }
  });

  test('a thread is its root and every reply below it, in this scope only', async ({
    scopedSdk: sdk,
  }) => {
    await sdk.tasks.create(newTask('t-1'));
    const root = await sdk.messages.create(note('t-1'));
    const reply = await sdk.messages.create(note('t-1', { parent_message_id: root.id }));
    const nested = await sdk.messages.create(note('t-1', { parent_message_id: reply.id }));
    const sibling = await sdk.messages.create(note('t-1', { parent_message_id: root.id }));
    const unrelated = await sdk.messages.create(note('t-1'));

    const thread = await sdk.messages.page({ thread_id: root.id });
    expect(thread.total).toBe(4);
    expect(thread.messages).toEqual(inListOrder([root, reply, nested, sibling]));
    expect(ids(await sdk.messages.list({ thread_id: reply.id }))).toEqual(
      ids(inListOrder([reply, nested])),
    );
    expect(ids(await sdk.messages.list({ thread_id: unrelated.id }))).toEqual([unrelated.id]);
    expect(await sdk.messages.list({ thread_id: 'msg-1-unknown' })).toEqual([]);

    const other = sdk.withScope(`${sdk.scope}-other`);
    expect(await other.messages.list({ thread_id: root.id })).toEqual([]);
  });

  test('unreplied=true leaves out every message that has a reply', async ({ scopedSdk: sdk }) => {
    await sdk.tasks.create(newTask('t-1'));
    const question = await sdk.messages.create(note('t-1', { to_actor: 'human' }));
    const answer = await sdk.messages.create(
      note('t-1', { parent_message_id: question.id, to_actor: 'agent-1' }),
    );
    const open = await sdk.messages.create(note('t-1', { to_actor: 'human' }));

    expect(ids(await sdk.messages.list({ unreplied: true }))).toEqual(
      ids(inListOrder([answer, open])),
    );
    expect(ids(await sdk.messages.list({ unreplied: true, to_actor: 'human' }))).toEqual([open.id]);
    expect(await sdk.messages.list({ unreplied: false })).toHaveLength(3);
  });

  test('another scope’s messages never appear', async ({ scopedSdk: sdk }) => {
    const other = sdk.withScope(`${sdk.scope}-other`);
    await other.tasks.create(newTask('t-1'));
    await sdk.tasks.create(newTask('t-1'));
    try {
      await other.messages.create(note('t-1'));
      const mine = await sdk.messages.create(note('t-1'));
      expect(ids(await sdk.messages.list({ task_id: 't-1' }))).toEqual([mine.id]);
      expect(ids((await sdk.messages.forTask('t-1')).messages)).toEqual([mine.id]);
    } finally {
      await other.scopes.purge();
    }
  });
});

describe('GET /tasks/:id/messages', () => {
  test('a task’s messages include the force-queue note, oldest first', async ({
    scopedSdk: sdk,
  }) => {
    await sdk.tasks.create(newTask('t-1'));
    await sdk.tasks.create(newTask('t-2'));
    const first = await sdk.messages.create(note('t-1'));
    await sdk.messages.create(note('t-2'));
    await sdk.tasks.forceQueue('t-1', { queue: 'failed', reason: 'operator gave up' });

    const page = await sdk.messages.forTask('t-1');
    expect(page).toMatchObject({ total: 2, offset: 0, limit: 50 });
    expect(page.messages).toEqual(inListOrder(page.messages));
    expect(page.messages.map((m) => [m.id === first.id, m.type, m.from_actor])).toEqual(
      expect.arrayContaining([
        [true, 'comment', 'agent-1'],
        [false, 'force_queue', 'system'],
      ]),
    );
    expect(page.messages.find((m) => m.type === 'force_queue')?.content).toBe('operator gave up');
    expect((await sdk.messages.forTask('t-1', { limit: 1, offset: 1 })).messages).toEqual(
      page.messages.slice(1),
    );
  });

  test('a task id the scope does not hold has no messages, and a deleted task keeps its thread', async ({
    scopedSdk: sdk,
  }) => {
    const other = sdk.withScope(`${sdk.scope}-other`);
    await other.tasks.create(newTask('t-1'));
    await other.messages.create(note('t-1'));
    try {
      expect((await sdk.messages.forTask('t-1')).messages).toEqual([]);
      expect((await sdk.messages.forTask('t-missing')).messages).toEqual([]);
      await sdk.tasks.create(newTask('t-2'));
      const kept = await sdk.messages.create(note('t-2'));
      await sdk.tasks.delete('t-2');
      expect((await sdk.messages.forTask('t-2')).messages).toEqual([kept]);
    } finally {
      await other.scopes.purge();
    }
  });
});
