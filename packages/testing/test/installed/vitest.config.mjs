import { defineConfig } from 'vitest/config';

// The configuration docs/testing.md gives a project that installed the kit.
export default defineConfig({
  test: {
    globalSetup: ['@octopoid/testing/global-setup'],
    include: ['*.test.mjs'],
    sequence: { concurrent: true },
  },
});
