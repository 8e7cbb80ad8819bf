import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // One Octopoid server for the whole run; each test gets its own scope on it.
    globalSetup: ['@octopoid/testing/global-setup'],
    include: ['test/**/*.test.ts'],
    // Scopes keep concurrent tests apart, so let them run concurrently.
    sequence: { concurrent: true },
  },
});
