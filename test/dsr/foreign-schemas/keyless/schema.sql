-- Tables as Fides' examples have them: collections without personal data declare no primary key,
-- and some tables have none. One SQL for SQLite, PostgreSQL and MariaDB (ANSI quotes).
CREATE TABLE "customer" ("id" INTEGER PRIMARY KEY, "email" VARCHAR(100) NOT NULL, "name" VARCHAR(100));
CREATE TABLE "orders" ("id" INTEGER PRIMARY KEY, "customer_id" INTEGER NOT NULL);
-- No key of any kind, and nothing personal in it: an erasure reads it and writes nothing there.
CREATE TABLE "order_item" ("order_id" INTEGER NOT NULL, "product" VARCHAR(50) NOT NULL, "quantity" INTEGER NOT NULL);
-- No primary key: its rows are addressed by a unique index on NOT NULL columns.
CREATE TABLE "visit" ("email" VARCHAR(100) NOT NULL, "last_visit" DATE NOT NULL, UNIQUE ("email", "last_visit"));
-- No key, and a personal field an erasure must mask: refused, with the fix.
CREATE TABLE "note" ("customer_id" INTEGER NOT NULL, "text" VARCHAR(200));

INSERT INTO "customer" VALUES (1, 'customer-1@example.com', 'John Customer'), (2, 'customer-2@example.com', 'Jill Customer');
INSERT INTO "orders" VALUES (10, 1), (11, 2);
INSERT INTO "order_item" VALUES (10, 'mug', 1), (10, 'tote bag', 2), (11, 'mug', 1);
INSERT INTO "visit" VALUES ('customer-1@example.com', '2024-01-01'), ('customer-1@example.com', '2024-01-02'), ('customer-2@example.com', '2024-01-01');
INSERT INTO "note" VALUES (1, 'prefers morning deliveries'), (2, 'gate code 1234');
