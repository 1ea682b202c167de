import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

// Integration tests start real databases: PGlite from a migrated snapshot made once in
// global-setup, and PostgreSQL (when TEST_DATABASE_URL is set) from a migrated template
// database, one database per test file so files run in parallel.
export default defineConfig({
  resolve: {
    // Node loads graphql's CommonJS build (type-graphql requires it); vite would pick the .mjs
    // build for test files, and two copies of graphql reject each other's types.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // type-graphql's decorators need the metadata API before any type module loads.
    setupFiles: ['reflect-metadata'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
