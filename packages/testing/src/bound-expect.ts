import { AsyncLocalStorage } from 'node:async_hooks';
import { type ExpectStatic, expect as globalExpect, type TestAPI } from 'vitest';

/** The `expect` of the test whose code is running, set around each test of the kit's files. */
const testExpect = new AsyncLocalStorage<ExpectStatic>();

/**
 * Wraps every test of the file being collected so that the kit's {@link expect} is that test's
 * own (vitest's context `expect`). Call it at a test file's top level, during collection; the
 * kit's `@octopoid/testing/vitest` does so as it is imported.
 */
export function bindExpectToTest(test: Pick<TestAPI, 'aroundEach'>): void {
  test.aroundEach((runTest, { expect }) => testExpect.run(expect, runTest));
}

/**
 * The kit's `expect`: inside a test of a file that imports the kit, that test's own `expect`
 * (vitest's context one), so `expect.assertions(n)`, `expect.hasAssertions()`, `expect.poll`
 * and snapshots count and record for that test even when tests run concurrently; elsewhere
 * (module level, `beforeAll`, a file loaded when vitest does not isolate files and so does not
 * run the kit's module again) vitest's global `expect`.
 */
export const expect: ExpectStatic = new Proxy(globalExpect, {
  apply: (target, thisArg, args) => Reflect.apply(testExpect.getStore() ?? target, thisArg, args),
  get: (target, property) => {
    const bound = testExpect.getStore() ?? target;
    return Reflect.get(bound, property, bound);
  },
});
