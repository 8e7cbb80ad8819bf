import rootConfig from '../../../../vitest.config.js';

/** The repository's own vitest setup, running only the suite the cleanup-policy test drives. */
export default {
  ...rootConfig,
  test: {
    ...rootConfig.test,
    include: ['packages/testing/test/nested/*.suite.ts'],
    projects: undefined,
    typecheck: { enabled: false },
  },
};
