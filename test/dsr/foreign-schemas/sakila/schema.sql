-- A Sakila-like rental shop (after MySQL's Sakila sample database, written here: not a copy):
-- customers of a store, their address in a city of a country, rentals of a film's copies, and
-- payments. One SQL for SQLite, PostgreSQL and MariaDB (ANSI quotes).
CREATE TABLE "country" (
  "country_id" INTEGER PRIMARY KEY,
  "country" VARCHAR(50) NOT NULL,
  "last_update" DATE NOT NULL
);
CREATE TABLE "city" (
  "city_id" INTEGER PRIMARY KEY,
  "city" VARCHAR(50) NOT NULL,
  "country_id" INTEGER NOT NULL REFERENCES "country" ("country_id"),
  "last_update" DATE NOT NULL
);
CREATE TABLE "address" (
  "address_id" INTEGER PRIMARY KEY,
  "address" VARCHAR(50) NOT NULL,
  "address2" VARCHAR(50),
  "district" VARCHAR(20) NOT NULL,
  "city_id" INTEGER NOT NULL REFERENCES "city" ("city_id"),
  "postal_code" VARCHAR(10),
  "phone" VARCHAR(20) NOT NULL,
  "last_update" DATE NOT NULL
);
CREATE TABLE "staff" (
  "staff_id" INTEGER PRIMARY KEY,
  "first_name" VARCHAR(45) NOT NULL,
  "last_name" VARCHAR(45) NOT NULL,
  "address_id" INTEGER NOT NULL REFERENCES "address" ("address_id"),
  "email" VARCHAR(50),
  "store_id" INTEGER NOT NULL,
  "active" SMALLINT NOT NULL,
  "username" VARCHAR(16) NOT NULL,
  "password" VARCHAR(40),
  "last_update" DATE NOT NULL
);
CREATE TABLE "store" (
  "store_id" INTEGER PRIMARY KEY,
  "manager_staff_id" INTEGER NOT NULL UNIQUE REFERENCES "staff" ("staff_id"),
  "address_id" INTEGER NOT NULL REFERENCES "address" ("address_id"),
  "last_update" DATE NOT NULL
);
CREATE TABLE "customer" (
  "customer_id" INTEGER PRIMARY KEY,
  "store_id" INTEGER NOT NULL REFERENCES "store" ("store_id"),
  "first_name" VARCHAR(45) NOT NULL,
  "last_name" VARCHAR(45) NOT NULL,
  "email" VARCHAR(50),
  "address_id" INTEGER NOT NULL REFERENCES "address" ("address_id"),
  "active" SMALLINT NOT NULL,
  "create_date" DATE NOT NULL,
  "last_update" DATE
);
CREATE TABLE "language" (
  "language_id" INTEGER PRIMARY KEY,
  "name" VARCHAR(20) NOT NULL,
  "last_update" DATE NOT NULL
);
CREATE TABLE "film" (
  "film_id" INTEGER PRIMARY KEY,
  "title" VARCHAR(128) NOT NULL,
  "description" VARCHAR(255),
  "release_year" INTEGER,
  "language_id" INTEGER NOT NULL REFERENCES "language" ("language_id"),
  "rental_rate" DECIMAL(4,2) NOT NULL,
  "last_update" DATE NOT NULL
);
CREATE TABLE "inventory" (
  "inventory_id" INTEGER PRIMARY KEY,
  "film_id" INTEGER NOT NULL REFERENCES "film" ("film_id"),
  "store_id" INTEGER NOT NULL REFERENCES "store" ("store_id"),
  "last_update" DATE NOT NULL
);
CREATE TABLE "rental" (
  "rental_id" INTEGER PRIMARY KEY,
  "rental_date" DATE NOT NULL,
  "inventory_id" INTEGER NOT NULL REFERENCES "inventory" ("inventory_id"),
  "customer_id" INTEGER NOT NULL REFERENCES "customer" ("customer_id"),
  "return_date" DATE,
  "staff_id" INTEGER NOT NULL REFERENCES "staff" ("staff_id"),
  "last_update" DATE NOT NULL,
  UNIQUE ("rental_date", "inventory_id", "customer_id")
);
CREATE TABLE "payment" (
  "payment_id" INTEGER PRIMARY KEY,
  "customer_id" INTEGER NOT NULL REFERENCES "customer" ("customer_id"),
  "staff_id" INTEGER NOT NULL REFERENCES "staff" ("staff_id"),
  "rental_id" INTEGER REFERENCES "rental" ("rental_id"),
  "amount" DECIMAL(5,2) NOT NULL,
  "payment_date" DATE NOT NULL,
  "last_update" DATE
);

INSERT INTO "country" VALUES (1, 'Canada', '2024-01-15'), (2, 'Australia', '2024-01-15');
INSERT INTO "city" VALUES (1, 'Lethbridge', 1, '2024-01-15'), (2, 'Woodridge', 2, '2024-01-15');
INSERT INTO "address" VALUES
  (1, '47 MySakila Drive', NULL, 'Alberta', 1, NULL, '14033335568', '2024-01-15'),
  (2, '28 MySQL Boulevard', NULL, 'QLD', 2, NULL, '6172235589', '2024-01-15'),
  (3, '23 Workhaven Lane', NULL, 'Alberta', 1, NULL, '14033335568', '2024-01-15'),
  (4, '1411 Lillydale Drive', NULL, 'QLD', 2, NULL, '6172235589', '2024-01-15'),
  (5, '1913 Hanoi Way', NULL, 'Nagasaki', 1, '35200', '28303384290', '2024-01-15'),
  (6, '1121 Loja Avenue', NULL, 'California', 1, '17886', '838635286649', '2024-01-15'),
  (7, '692 Joliet Street', NULL, 'Attika', 2, '83579', '448477190408', '2024-01-15');
INSERT INTO "staff" VALUES
  (1, 'Mike', 'Hillyer', 3, 'Mike.Hillyer@sakilastaff.com', 1, 1, 'Mike', '8cb2237d0679ca88db6464eac60da96345513964', '2024-01-15'),
  (2, 'Jon', 'Stephens', 4, 'Jon.Stephens@sakilastaff.com', 2, 1, 'Jon', NULL, '2024-01-15');
INSERT INTO "store" VALUES (1, 1, 1, '2024-01-15'), (2, 2, 2, '2024-01-15');
INSERT INTO "customer" VALUES
  (1, 1, 'MARY', 'SMITH', 'MARY.SMITH@sakilacustomer.org', 5, 1, '2024-02-14', '2024-02-15'),
  (2, 1, 'PATRICIA', 'JOHNSON', 'PATRICIA.JOHNSON@sakilacustomer.org', 6, 1, '2024-02-14', '2024-02-15'),
  (3, 2, 'LINDA', 'WILLIAMS', 'LINDA.WILLIAMS@sakilacustomer.org', 7, 1, '2024-02-14', '2024-02-15');
INSERT INTO "language" VALUES (1, 'English', '2024-01-15');
INSERT INTO "film" VALUES
  (1, 'ACADEMY DINOSAUR', 'An Epic Drama of a Feminist And a Mad Scientist', 2006, 1, 0.99, '2024-01-15'),
  (2, 'ACE GOLDFINGER', 'An Astounding Epistle of a Database Administrator', 2006, 1, 4.99, '2024-01-15'),
  (3, 'ADAPTATION HOLES', 'An Astounding Reflection of a Lumberjack', 2006, 1, 2.99, '2024-01-15');
INSERT INTO "inventory" VALUES (1, 1, 1, '2024-01-15'), (2, 2, 1, '2024-01-15'), (3, 3, 2, '2024-01-15'), (4, 1, 1, '2024-01-15');
INSERT INTO "rental" VALUES
  (1, '2024-05-24', 1, 1, '2024-05-26', 1, '2024-05-26'),
  (2, '2024-05-25', 2, 1, '2024-05-28', 1, '2024-05-28'),
  (3, '2024-05-24', 4, 2, '2024-05-27', 2, '2024-05-27'),
  (4, '2024-05-26', 3, 3, NULL, 2, '2024-05-26');
-- Payment 4: Patricia paid the late fee of Mary's rental 2.
INSERT INTO "payment" VALUES
  (1, 1, 1, 1, 2.99, '2024-05-25', '2024-05-25'),
  (2, 1, 1, 2, 0.99, '2024-05-28', '2024-05-28'),
  (3, 2, 2, 3, 5.99, '2024-05-25', '2024-05-25'),
  (4, 2, 1, 2, 1.00, '2024-05-29', '2024-05-29'),
  (5, 3, 2, 4, 4.99, '2024-05-27', '2024-05-27');
