/**
 * Lists bound as one PostgreSQL array parameter are written as array literals by opendpo, not by pg
 * (src/connectors/postgres/array-literal.ts): the server must read back exactly the values given,
 * hostile texts included, as it does from pg's own conversion.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Value } from '../../src/connectors/connector.js';
import { arrayLiteral } from '../../src/connectors/postgres/array-literal.js';
import { POSTGRES_URL, serviceAvailable } from '../helpers/services.js';

const TEXTS = ['plain', '', 'NULL', 'null', 'a,b', '{x}', 'back\\slash', 'quo"te', '\\"both\\"', ' spaced ', 'é 漢字 🙂', "it's", '(12,5)', 'line\nbreak', 'tab\there'];

describe('array literals', () => {
  it('leave dates and bytes to the driver, and write an empty list as {}', () => {
    expect(arrayLiteral([new Date(0)])).toBeUndefined();
    expect(arrayLiteral([new Uint8Array([1])])).toBeUndefined();
    expect(arrayLiteral([])).toBe('{}');
    expect(arrayLiteral([1, 2n, null, true])).toBe('{1,2,NULL,true}');
  });
});

const available = await serviceAvailable('PostgreSQL', POSTGRES_URL);
describe.runIf(available)('array literals read back by PostgreSQL', () => {
  let client: pg.Client;
  beforeAll(async () => {
    client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
  });

  const readBack = async (values: Value[], type: string) => {
    const literal = arrayLiteral(values);
    expect(literal).toBeDefined();
    // Read back as texts: the server's own rendering of what it understood, no client parsing.
    const ours = (await client.query(`select $1::${type}[]::text[] as v`, [literal])).rows[0].v as unknown[];
    const theirs = (await client.query(`select $1::${type}[]::text[] as v`, [values])).rows[0].v as unknown[];
    return { ours, theirs };
  };

  it('texts come back exactly, hostile ones included, as from pg\'s own conversion', async () => {
    const values: Value[] = [...TEXTS, null];
    const { ours, theirs } = await readBack(values, 'text');
    expect(ours).toEqual(values);
    expect(ours).toEqual(theirs);
  });

  it('integers, big integers, numbers, booleans and row addresses come back as given', async () => {
    const cases: [Value[], string, unknown[]][] = [
      [[1, -2, 0, 9007199254740991, null], 'bigint', ['1', '-2', '0', '9007199254740991', null]],
      [[12345678901234567890n], 'numeric', ['12345678901234567890']],
      [[1.5, -0.25], 'float8', ['1.5', '-0.25']],
      [[true, false], 'bool', ['true', 'false']],
      [['(0,1)', '(4294967295,65535)'], 'tid', ['(0,1)', '(4294967295,65535)']],
    ];
    for (const [values, type, expected] of cases) {
      const { ours, theirs } = await readBack(values, type);
      expect(ours).toEqual(expected);
      expect(ours).toEqual(theirs);
    }
  });
});
