import { defineConfig } from 'vitest/config';
import path from 'node:path';

const alias = {
  '@signoff/contracts': path.resolve(import.meta.dirname, 'libs/contracts/src/index.ts'),
  '@signoff/workflow': path.resolve(import.meta.dirname, 'libs/workflow/src/index.ts'),
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['libs/*/src/**/*.test.ts', 'apps/api/src/**/*.test.ts', 'apps/web/src/**/*.test.ts'],
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: ['apps/api/test/**/*.spec.ts'],
          globalSetup: ['apps/api/test/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: true,
          maxWorkers: 2,
        },
      },
    ],
  },
});
