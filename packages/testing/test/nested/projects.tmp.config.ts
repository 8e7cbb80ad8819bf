import { defineConfig } from 'vitest/config';
import rootConfig from '../../../../vitest.config.js';

export default defineConfig({
  ...rootConfig,
  test: {
    ...rootConfig.test,
    typecheck: { enabled: false },
    projects: [
      { extends: true, test: { name: 'sqlite' } },
      { extends: true, test: { name: 'postgres', provide: { octopoidDatabase: 'postgres' } } },
    ],
  },
});
