/**
 * Type-level contract: what each SDK method resolves to is what the server's response schema
 * (in `@octopoid/api`) infers, and what it sends is the input side of the request schema. A
 * method added, removed or retyped without the schema fails to compile here, so `npm test`
 * (vitest typecheck) fails.
 */
import type * as api from '@octopoid/api';
import type { OctopoidSDK } from '@octopoid/sdk';
import { describe, expectTypeOf, test } from 'vitest';
import type { z } from 'zod';

type Out<T extends z.ZodType> = z.output<T>;
type In<T extends z.ZodType> = z.input<T>;

type Method = (...args: never[]) => Promise<unknown>;
/** Each method of a resource, mapped to what its promise resolves to. */
type Results<Resource> = {
  [Name in keyof Resource as Resource[Name] extends Method
    ? Name
    : never]: Resource[Name] extends Method ? Awaited<ReturnType<Resource[Name]>> : never;
};
type Body<F extends Method, Index extends number = 0> = Parameters<F>[Index];

describe('SDK results equal the response schemas', () => {
  test('tasks', () => {
    expectTypeOf<Results<OctopoidSDK['tasks']>>().toEqualTypeOf<{
      page: Out<typeof api.TaskList>;
      list: Out<typeof api.Task>[];
      get: Out<typeof api.Task> | null;
      create: Out<typeof api.Task>;
      update: Out<typeof api.Task>;
      delete: Out<typeof api.TaskDeleted>;
      claim: Out<typeof api.Task> | null;
      submit: Out<typeof api.Task>;
      accept: Out<typeof api.Task>;
      reject: Out<typeof api.Task>;
      requeue: Out<typeof api.Task>;
      forceQueue: Out<typeof api.Task>;
      renewLease: Out<typeof api.Task>;
      completeHook: Out<typeof api.Task>;
      history: Out<typeof api.TaskHistory>;
    }>();
  });

  test('health and scopes', () => {
    expectTypeOf<Results<OctopoidSDK['health']>>().toEqualTypeOf<{
      check: Out<typeof api.Health>;
      info: Out<typeof api.ServerInfo>;
    }>();
    expectTypeOf<Results<OctopoidSDK['scopes']>>().toEqualTypeOf<{
      purge: Out<typeof api.ScopePurged> | null;
    }>();
  });
});

describe('SDK request bodies equal the request schemas’ input', () => {
  test('tasks', () => {
    type Tasks = OctopoidSDK['tasks'];
    expectTypeOf<Body<Tasks['create']>>().toEqualTypeOf<In<typeof api.TaskCreate>>();
    expectTypeOf<Body<Tasks['update'], 1>>().toEqualTypeOf<In<typeof api.TaskPatch>>();
    expectTypeOf<Body<Tasks['claim']>>().toEqualTypeOf<In<typeof api.TaskClaim>>();
    expectTypeOf<Body<Tasks['submit'], 1>>().toEqualTypeOf<In<typeof api.TaskSubmit>>();
    expectTypeOf<Body<Tasks['accept'], 1>>().toEqualTypeOf<In<typeof api.TaskAccept> | undefined>();
    expectTypeOf<Body<Tasks['reject'], 1>>().toEqualTypeOf<In<typeof api.TaskReject>>();
    expectTypeOf<Body<Tasks['requeue'], 1>>().toEqualTypeOf<
      In<typeof api.TaskRequeue> | undefined
    >();
    expectTypeOf<Body<Tasks['forceQueue'], 1>>().toEqualTypeOf<In<typeof api.TaskForceQueue>>();
    expectTypeOf<Body<Tasks['renewLease'], 1>>().toEqualTypeOf<
      In<typeof api.TaskLeaseRenew> | undefined
    >();
    expectTypeOf<Body<Tasks['completeHook'], 2>>().toEqualTypeOf<In<typeof api.HookComplete>>();
  });

  test('task list filters are the list query’s fields, scope excepted', () => {
    type Filters = NonNullable<Body<OctopoidSDK['tasks']['list']>>;
    expectTypeOf<keyof Filters>().toEqualTypeOf<
      Exclude<keyof Out<typeof api.TaskListQuery>, 'scope'>
    >();
  });
});
