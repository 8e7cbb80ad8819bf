/**
 * Type-level contract: what each SDK method resolves to is what the server's response schema
 * (in `@octopoid/api`) infers, and what it sends is the input side of the request schema. A
 * method added, removed or retyped without the schema fails to compile here, so `npm test`
 * (vitest typecheck) fails.
 */
import type * as api from '@octopoid/api';
import type { CallOptions, OctopoidSDK } from '@octopoid/sdk';
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
  test('the client exposes exactly the resources checked below', () => {
    expectTypeOf<keyof OctopoidSDK>().toEqualTypeOf<
      | 'tasks'
      | 'health'
      | 'scopes'
      | 'messages'
      | 'actions'
      | 'projects'
      | 'drafts'
      | 'flows'
      | 'scheduler'
      | 'orchestrators'
      | 'roles'
      | 'testMode'
      | 'scope'
      | 'serverUrl'
      | 'withScope'
      | 'withApiKey'
      | 'withSignal'
    >();
  });

  test('tasks methods resolve to the task schemas', () => {
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
      historyPage: Out<typeof api.TaskHistory>;
    }>();
  });

  test('health and scopes methods resolve to their schemas', () => {
    expectTypeOf<Results<OctopoidSDK['health']>>().toEqualTypeOf<{
      check: Out<typeof api.Health>;
      info: Out<typeof api.ServerInfo>;
    }>();
    expectTypeOf<Results<OctopoidSDK['scopes']>>().toEqualTypeOf<{
      page: Out<typeof api.ScopeList>;
      list: Out<typeof api.ScopeSummary>[];
      get: Out<typeof api.ScopeSummary> | null;
      purge: Out<typeof api.ScopePurged> | null;
      clone: Out<typeof api.ScopeCloned>;
      merge: Out<typeof api.ScopeMergeReport>;
    }>();
  });

  test('messages and actions methods resolve to their schemas', () => {
    expectTypeOf<Results<OctopoidSDK['messages']>>().toEqualTypeOf<{
      create: Out<typeof api.Message>;
      page: Out<typeof api.MessageList>;
      list: Out<typeof api.Message>[];
      forTask: Out<typeof api.MessageList>;
    }>();
    expectTypeOf<Results<OctopoidSDK['actions']>>().toEqualTypeOf<{
      create: Out<typeof api.Action>;
      page: Out<typeof api.ActionList>;
      list: Out<typeof api.Action>[];
      get: Out<typeof api.Action> | null;
      update: Out<typeof api.Action>;
      execute: Out<typeof api.Action>;
      complete: Out<typeof api.Action>;
      fail: Out<typeof api.Action>;
    }>();
  });

  test('projects, drafts and flows methods resolve to their schemas', () => {
    expectTypeOf<Results<OctopoidSDK['projects']>>().toEqualTypeOf<{
      page: Out<typeof api.ProjectList>;
      list: Out<typeof api.Project>[];
      get: Out<typeof api.Project> | null;
      create: Out<typeof api.Project>;
      update: Out<typeof api.Project>;
      delete: Out<typeof api.ProjectDeleted>;
      tasks: Out<typeof api.ProjectTasks>;
    }>();
    expectTypeOf<Results<OctopoidSDK['drafts']>>().toEqualTypeOf<{
      page: Out<typeof api.DraftList>;
      list: Out<typeof api.Draft>[];
      get: Out<typeof api.Draft> | null;
      create: Out<typeof api.Draft>;
      update: Out<typeof api.Draft>;
      delete: Out<typeof api.DraftDeleted>;
    }>();
    expectTypeOf<Results<OctopoidSDK['flows']>>().toEqualTypeOf<{
      page: Out<typeof api.FlowList>;
      list: Out<typeof api.Flow>[];
      get: Out<typeof api.Flow> | null;
      register: Out<typeof api.Flow>;
      delete: Out<typeof api.FlowDeleted>;
    }>();
  });

  test('scheduler, orchestrators and roles methods resolve to their schemas', () => {
    expectTypeOf<Results<OctopoidSDK['scheduler']>>().toEqualTypeOf<{
      poll: Out<typeof api.SchedulerPoll>;
    }>();
    expectTypeOf<Results<OctopoidSDK['orchestrators']>>().toEqualTypeOf<{
      register: Out<typeof api.OrchestratorRegistered>;
      heartbeat: Out<typeof api.HeartbeatRecorded>;
      page: Out<typeof api.OrchestratorList>;
      list: Out<typeof api.Orchestrator>[];
      get: Out<typeof api.Orchestrator> | null;
      setStatus: Out<typeof api.Orchestrator>;
      rotateKey: Out<typeof api.ApiKeyRotated>;
    }>();
    expectTypeOf<Results<OctopoidSDK['roles']>>().toEqualTypeOf<{
      register: Out<typeof api.Role>[];
      page: Out<typeof api.RoleList>;
      list: Out<typeof api.Role>[];
      get: Out<typeof api.Role> | null;
    }>();
  });

  test('test-mode methods resolve to their schemas', () => {
    expectTypeOf<keyof OctopoidSDK['testMode']>().toEqualTypeOf<'faults' | 'clock'>();
    expectTypeOf<Results<OctopoidSDK['testMode']['faults']>>().toEqualTypeOf<{
      add: Out<typeof api.FaultRule>;
      list: Out<typeof api.FaultRule>[];
      clear: Out<typeof api.FaultsCleared>['cleared'];
    }>();
    expectTypeOf<Results<OctopoidSDK['testMode']['clock']>>().toEqualTypeOf<{
      advance: Out<typeof api.ClockAdvanced>;
      now: Out<typeof api.ScopeClock>;
      reset: Out<typeof api.ScopeClock>;
    }>();
  });
});

describe('SDK request bodies equal the request schemas’ input', () => {
  test('tasks methods send their request schemas’ input', () => {
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

  test('other resources send their request schemas’ input', () => {
    expectTypeOf<Body<OctopoidSDK['messages']['create']>>().toEqualTypeOf<
      In<typeof api.MessageCreate>
    >();
    expectTypeOf<Body<OctopoidSDK['actions']['create']>>().toEqualTypeOf<
      In<typeof api.ActionCreate>
    >();
    expectTypeOf<Body<OctopoidSDK['actions']['update'], 1>>().toEqualTypeOf<
      In<typeof api.ActionPatch>
    >();
    expectTypeOf<Body<OctopoidSDK['projects']['create']>>().toEqualTypeOf<
      In<typeof api.ProjectCreate>
    >();
    expectTypeOf<Body<OctopoidSDK['projects']['update'], 1>>().toEqualTypeOf<
      In<typeof api.ProjectPatch>
    >();
    expectTypeOf<Body<OctopoidSDK['drafts']['create']>>().toEqualTypeOf<
      In<typeof api.DraftCreate>
    >();
    expectTypeOf<Body<OctopoidSDK['drafts']['update'], 1>>().toEqualTypeOf<
      In<typeof api.DraftPatch>
    >();
    expectTypeOf<Body<OctopoidSDK['flows']['register'], 1>>().toEqualTypeOf<
      In<typeof api.FlowRegister>
    >();
    expectTypeOf<Body<OctopoidSDK['orchestrators']['register']>>().toEqualTypeOf<
      In<typeof api.OrchestratorRegister>
    >();
    expectTypeOf<Body<OctopoidSDK['roles']['register']>>().toEqualTypeOf<
      In<typeof api.RoleRegister>
    >();
  });

  test('task list filters are the list query’s fields, scope excepted', () => {
    type Filters = NonNullable<Body<OctopoidSDK['tasks']['list']>>;
    expectTypeOf<keyof Filters>().toEqualTypeOf<
      Exclude<keyof Out<typeof api.TaskListQuery>, 'scope'>
    >();
  });

  test('paging arguments are the list queries’ fields, scope excepted', () => {
    type Sdk = OctopoidSDK;
    type Query<T extends z.ZodType> = Exclude<keyof Out<T>, 'scope'>;
    expectTypeOf<keyof NonNullable<Body<Sdk['orchestrators']['page']>>>().toEqualTypeOf<
      Query<typeof api.OrchestratorListQuery>
    >();
    expectTypeOf<keyof NonNullable<Body<Sdk['orchestrators']['list']>>>().toEqualTypeOf<
      Query<typeof api.OrchestratorListQuery>
    >();
    expectTypeOf<keyof NonNullable<Body<Sdk['roles']['page']>>>().toEqualTypeOf<
      Query<typeof api.RoleListQuery>
    >();
    expectTypeOf<keyof NonNullable<Body<Sdk['flows']['page']>>>().toEqualTypeOf<
      Query<typeof api.FlowListQuery>
    >();
    expectTypeOf<keyof NonNullable<Body<Sdk['scopes']['page']>>>().toEqualTypeOf<
      Query<typeof api.ScopeListQuery>
    >();
    expectTypeOf<keyof NonNullable<Body<Sdk['tasks']['historyPage'], 1>>>().toEqualTypeOf<
      Query<typeof api.TaskHistoryQuery>
    >();
    // Existing calls keep compiling: the first page with per-call options only.
    expectTypeOf<Sdk['tasks']['history']>().toBeCallableWith('t-1', {
      signal: AbortSignal.abort(),
    });
    expectTypeOf<Sdk['roles']['list']>().toBeCallableWith({ signal: AbortSignal.abort() });
  });
});

/** Each method of a resource, mapped to the type of its last parameter. */
type LastParameters<Resource> = {
  [Name in keyof Resource as Resource[Name] extends Method ? Name : never]: Resource[Name] extends (
    ...args: infer Args
  ) => unknown
    ? Required<Args> extends [...unknown[], infer Last]
      ? Last
      : never
    : never;
};
/** What {@link LastParameters} must be: `CallOptions` for every method. */
type AllCallOptions<Resource> = {
  [Name in keyof LastParameters<Resource>]: CallOptions;
};

describe('every SDK method takes per-call options last', () => {
  test('each method of each resource ends with an optional CallOptions', () => {
    type Sdk = OctopoidSDK;
    expectTypeOf<LastParameters<Sdk['tasks']>>().toEqualTypeOf<AllCallOptions<Sdk['tasks']>>();
    expectTypeOf<LastParameters<Sdk['health']>>().toEqualTypeOf<AllCallOptions<Sdk['health']>>();
    expectTypeOf<LastParameters<Sdk['scopes']>>().toEqualTypeOf<AllCallOptions<Sdk['scopes']>>();
    expectTypeOf<LastParameters<Sdk['messages']>>().toEqualTypeOf<
      AllCallOptions<Sdk['messages']>
    >();
    expectTypeOf<LastParameters<Sdk['actions']>>().toEqualTypeOf<AllCallOptions<Sdk['actions']>>();
    expectTypeOf<LastParameters<Sdk['projects']>>().toEqualTypeOf<
      AllCallOptions<Sdk['projects']>
    >();
    expectTypeOf<LastParameters<Sdk['drafts']>>().toEqualTypeOf<AllCallOptions<Sdk['drafts']>>();
    expectTypeOf<LastParameters<Sdk['flows']>>().toEqualTypeOf<AllCallOptions<Sdk['flows']>>();
    expectTypeOf<LastParameters<Sdk['scheduler']>>().toEqualTypeOf<
      AllCallOptions<Sdk['scheduler']>
    >();
    expectTypeOf<LastParameters<Sdk['orchestrators']>>().toEqualTypeOf<
      AllCallOptions<Sdk['orchestrators']>
    >();
    expectTypeOf<LastParameters<Sdk['roles']>>().toEqualTypeOf<AllCallOptions<Sdk['roles']>>();
    expectTypeOf<LastParameters<Sdk['testMode']['faults']>>().toEqualTypeOf<
      AllCallOptions<Sdk['testMode']['faults']>
    >();
    expectTypeOf<LastParameters<Sdk['testMode']['clock']>>().toEqualTypeOf<
      AllCallOptions<Sdk['testMode']['clock']>
    >();
    // Optional: every existing call keeps compiling without it.
    expectTypeOf<Sdk['tasks']['list']>().toBeCallableWith();
    expectTypeOf<Sdk['health']['check']>().toBeCallableWith();
  });
});
