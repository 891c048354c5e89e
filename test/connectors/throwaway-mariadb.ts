/**
 * A MariaDB/MySQL database created for one test file and dropped after it, through the root
 * connection of MARIADB_URL, so test files run in parallel without seeing each other's rows.
 */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { MARIADB_URL } from '../helpers/services.js';

export interface ThrowawayMariadb {
  name: string;
  url: string;
  /** Runs SQL as root in the throwaway database (fixtures, and killing our own connections). */
  exec(sql: string, values?: unknown[]): Promise<unknown>;
  drop(): Promise<void>;
}

export async function createThrowawayMariadb(): Promise<ThrowawayMariadb> {
  const name = `opendpo_test_${randomBytes(6).toString('hex')}`;
  const admin = await mysql.createConnection({ uri: MARIADB_URL, multipleStatements: true });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  await admin.query(`USE \`${name}\``);
  const url = new URL(MARIADB_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    exec: async (sql, values) => (await admin.query(sql, values))[0],
    async drop() {
      try {
        // Tests make foreign keys across two throwaway databases, in both directions.
        await admin.query('SET foreign_key_checks = 0');
        await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await admin.end();
      }
    },
  };
}
