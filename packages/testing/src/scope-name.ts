import { randomBytes } from 'node:crypto';

/**
 * A unique scope for one test: readable (derived from the test's name) and collision-free
 * (a random suffix, so tests with the same name never share a scope).
 */
export function scopeForTest(testName: string): string {
  const readable = testName
    .toLowerCase()
    .replace(/[^a-z0-9._:-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return `test-${readable || 'unnamed'}-${randomBytes(5).toString('hex')}`;
}
