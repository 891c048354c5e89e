/**
 * The tests StrykerJS runs against each mutant of the request planning and erasure decisions
 * (stryker.config.json, `npm run mutation`): the fast tests of those modules, pure or on SQLite.
 * The end-to-end suites (every request on three databases, the property tests) take seconds to
 * minutes each and would run against every one of about a thousand mutants. PostgreSQL and
 * MariaDB are pointed at a closed port in case a listed file needs them. Not part of `npm test`.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'test/dsr/graph.test.ts',
      'test/dsr/boundary.test.ts',
      'test/dsr/check-against-databases.test.ts',
      'test/dsr/masking.test.ts',
      'test/dsr/plan-erasure.test.ts',
      'test/dsr/erasure-reads.test.ts',
      'test/dsr/topological-order.test.ts',
    ],
    env: {
      OPENDPO_REQUIRE_SERVICES: '0',
      OPENDPO_TEST_POSTGRES_URL: 'postgres://postgres@127.0.0.1:1/none',
      OPENDPO_TEST_MARIADB_URL: 'mysql://root@127.0.0.1:1/none',
    },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
