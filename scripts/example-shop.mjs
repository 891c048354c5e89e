#!/usr/bin/env node
/**
 * Creates the example shop database (.opendpo/acme-shop.db) from examples/acme-shop/datasets/seed.sql,
 * so that `opendpo dsr ...` can be tried on it. Run again to reset it: the seed drops its tables first.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import process from 'node:process';
import Database from 'better-sqlite3';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const file = path.resolve('.opendpo/acme-shop.db');
// `npm start` makes it once (--if-missing), so that the worker has a shop to answer requests on.
if (process.argv.includes('--if-missing') && existsSync(file)) process.exit(0);
mkdirSync(path.dirname(file), { recursive: true });
const db = new Database(file);
db.exec(readFileSync(path.join(root, 'examples/acme-shop/datasets/seed.sql'), 'utf8'));
db.close();
process.stderr.write(`created ${path.relative(process.cwd(), file)} (the example shop database, 3 customers)\n`);
