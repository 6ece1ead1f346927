import { defineConfig } from 'vitest/config';

export default defineConfig({
  // graphql 16 has no exports map: Vite would give our sources its ESM build while the packages that
  // build and run the schema (Apollo, graphql-tools, graphql-ws) load its CJS build, as Node does in
  // production. One instance for both, so schemas and errors cross between them as they do there.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    include: ['test/**/*.test.ts', 'connectors/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // browser tests poll the page; a loaded CI machine may take more than the default second to render
    expect: { poll: { timeout: 10_000 } },
  },
});
