-- The Acme Boutique shop database described by shop.yaml, with a few fictitious people.
-- Portable SQL: runs as is on SQLite, PostgreSQL and MariaDB/MySQL, and can be run again
-- (it drops the tables first).
--
--   mkdir -p .opendpo && sqlite3 .opendpo/acme-shop.db < examples/acme-shop/datasets/seed.sql
--   psql "$SHOP_DATABASE_URL" -f examples/acme-shop/datasets/seed.sql
--   mariadb acme_shop < examples/acme-shop/datasets/seed.sql

DROP TABLE IF EXISTS newsletter_subscription;
DROP TABLE IF EXISTS fraud_check;
DROP TABLE IF EXISTS support_ticket;
DROP TABLE IF EXISTS invoice;
DROP TABLE IF EXISTS order_item;
DROP TABLE IF EXISTS orders;
DROP TABLE IF EXISTS product;
DROP TABLE IF EXISTS address;
DROP TABLE IF EXISTS customer;
DROP TABLE IF EXISTS staff;

CREATE TABLE staff (
  id INTEGER PRIMARY KEY,
  email VARCHAR(255) NOT NULL UNIQUE,
  full_name VARCHAR(255) NOT NULL,
  job_title VARCHAR(255)
);

CREATE TABLE customer (
  id INTEGER PRIMARY KEY,
  email VARCHAR(255) NOT NULL UNIQUE,
  phone_number VARCHAR(32),
  first_name VARCHAR(255) NOT NULL,
  last_name VARCHAR(255) NOT NULL,
  birth_date DATE,
  loyalty_tier VARCHAR(16),
  created_at TIMESTAMP NOT NULL
);

CREATE TABLE address (
  id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customer (id),
  street VARCHAR(255),
  postal_code VARCHAR(16),
  city VARCHAR(255),
  country CHAR(2)
);

CREATE TABLE product (
  id INTEGER PRIMARY KEY,
  name VARCHAR(255) NOT NULL,
  price_cents INTEGER NOT NULL
);

CREATE TABLE orders (
  id INTEGER PRIMARY KEY,
  customer_id INTEGER REFERENCES customer (id),
  ordered_at TIMESTAMP,
  delivery_note VARCHAR(1000),
  total_cents INTEGER NOT NULL
);

CREATE TABLE order_item (
  order_id INTEGER NOT NULL REFERENCES orders (id),
  line_no INTEGER NOT NULL,
  product_id INTEGER NOT NULL REFERENCES product (id),
  quantity INTEGER NOT NULL,
  PRIMARY KEY (order_id, line_no)
);

CREATE TABLE invoice (
  id INTEGER PRIMARY KEY,
  order_id INTEGER NOT NULL REFERENCES orders (id),
  invoice_number VARCHAR(32) NOT NULL UNIQUE,
  issued_on DATE NOT NULL,
  billing_name VARCHAR(255) NOT NULL,
  billing_address VARCHAR(1000) NOT NULL,
  total_cents INTEGER NOT NULL
);

CREATE TABLE fraud_check (
  id INTEGER PRIMARY KEY,
  order_id INTEGER NOT NULL REFERENCES orders (id),
  checked_at TIMESTAMP NOT NULL,
  score INTEGER NOT NULL,
  decision CHAR(1) NOT NULL
);

CREATE TABLE support_ticket (
  id INTEGER PRIMARY KEY,
  customer_id INTEGER REFERENCES customer (id),
  agent_id INTEGER REFERENCES staff (id),
  opened_at TIMESTAMP NOT NULL,
  topic VARCHAR(255),
  message VARCHAR(4000)
);

CREATE TABLE newsletter_subscription (
  id INTEGER PRIMARY KEY,
  email VARCHAR(255) NOT NULL UNIQUE,
  customer_id INTEGER REFERENCES customer (id),
  subscribed_at TIMESTAMP NOT NULL,
  processing_restricted BOOLEAN NOT NULL DEFAULT FALSE
);

INSERT INTO staff (id, email, full_name, job_title) VALUES
  (1, 'sophie.bernard@acme-boutique.example', 'Sophie Bernard', 'Customer service'),
  (2, 'karim.haddad@acme-boutique.example', 'Karim Haddad', 'Logistics');

INSERT INTO customer (id, email, phone_number, first_name, last_name, birth_date, loyalty_tier, created_at) VALUES
  (1, 'alice.martin@example.com', '+33612345678', 'Alice', 'Martin', '1988-04-12', 'gold', '2024-06-01 09:30:00'),
  (2, 'bruno.petit@example.com', NULL, 'Bruno', 'Petit', NULL, 'standard', '2024-09-15 18:02:00'),
  (3, 'chloe.durand@example.com', '+33698765432', 'Chloé', 'Durand', '1995-11-30', 'standard', '2025-01-20 12:45:00');

INSERT INTO address (id, customer_id, street, postal_code, city, country) VALUES
  (1, 1, '12 rue de la République', '69002', 'Lyon', 'FR'),
  (2, 1, '3 chemin des Vignes', '69290', 'Craponne', 'FR'),
  (3, 2, '45 avenue Jean Jaurès', '75019', 'Paris', 'FR'),
  (4, 3, '8 place du Marché', '33000', 'Bordeaux', 'FR');

INSERT INTO product (id, name, price_cents) VALUES
  (1, 'Linen tote bag', 2900),
  (2, 'Ceramic mug', 1500),
  (3, 'Scented candle', 2200);

INSERT INTO orders (id, customer_id, ordered_at, delivery_note, total_cents) VALUES
  (1, 1, '2025-02-03 10:15:00', 'Leave with the caretaker', 5800),
  (2, 1, '2025-05-17 21:40:00', NULL, 1500),
  (3, 2, '2025-03-08 08:05:00', 'Ring twice', 3700),
  (4, 3, '2025-06-21 14:30:00', NULL, 2200);

INSERT INTO order_item (order_id, line_no, product_id, quantity) VALUES
  (1, 1, 1, 2),
  (2, 1, 2, 1),
  (3, 1, 2, 1),
  (3, 2, 3, 1),
  (4, 1, 3, 1);

INSERT INTO invoice (id, order_id, invoice_number, issued_on, billing_name, billing_address, total_cents) VALUES
  (1, 1, 'F2025-0001', '2025-02-03', 'Alice Martin', '12 rue de la République, 69002 Lyon, FR', 5800),
  (2, 2, 'F2025-0002', '2025-05-17', 'Alice Martin', '3 chemin des Vignes, 69290 Craponne, FR', 1500),
  (3, 3, 'F2025-0003', '2025-03-08', 'Bruno Petit', '45 avenue Jean Jaurès, 75019 Paris, FR', 3700),
  (4, 4, 'F2025-0004', '2025-06-21', 'Chloé Durand', '8 place du Marché, 33000 Bordeaux, FR', 2200);

-- The fraud scores of the orders (RiskScore). The register keeps them six months from the order:
-- these are older, kept past their retention period, which an access request flags to the DPO.
INSERT INTO fraud_check (id, order_id, checked_at, score, decision) VALUES
  (1, 1, '2025-02-03 10:15:05', 12, 'A'),
  (2, 2, '2025-05-17 21:40:04', 57, 'R'),
  (3, 3, '2025-03-08 08:05:03', 8, 'A'),
  (4, 4, '2025-06-21 14:30:02', 5, 'A');

INSERT INTO support_ticket (id, customer_id, agent_id, opened_at, topic, message) VALUES
  (1, 1, 1, '2025-02-10 11:00:00', 'Delivery', 'My parcel arrived damaged, can I get a replacement?'),
  (2, 2, 1, '2025-03-12 16:20:00', 'Return', 'I would like to return the candle.'),
  (3, 1, 2, '2025-05-20 09:45:00', 'Invoice', 'Please send the invoice to my second address.');

INSERT INTO newsletter_subscription (id, email, customer_id, subscribed_at, processing_restricted) VALUES
  (1, 'alice.martin@example.com', 1, '2024-06-01 09:31:00', FALSE),
  (2, 'chloe.durand@example.com', 3, '2025-01-20 12:46:00', FALSE),
  (3, 'dominique.leroy@example.org', NULL, '2025-04-02 07:55:00', FALSE);
