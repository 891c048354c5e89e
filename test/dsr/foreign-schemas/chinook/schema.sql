-- A Chinook-like music store (after Luis Rocha's Chinook sample database, written here: not a
-- copy), in PascalCase: customers with a support representative among the employees, invoices and
-- their lines, each line naming a track of an album, with its media type and genre.
-- One SQL for SQLite, PostgreSQL and MariaDB (ANSI quotes).
CREATE TABLE "Artist" ("ArtistId" INTEGER PRIMARY KEY, "Name" VARCHAR(120));
CREATE TABLE "Album" (
  "AlbumId" INTEGER PRIMARY KEY,
  "Title" VARCHAR(160) NOT NULL,
  "ArtistId" INTEGER NOT NULL REFERENCES "Artist" ("ArtistId")
);
CREATE TABLE "MediaType" ("MediaTypeId" INTEGER PRIMARY KEY, "Name" VARCHAR(120));
CREATE TABLE "Genre" ("GenreId" INTEGER PRIMARY KEY, "Name" VARCHAR(120));
CREATE TABLE "Track" (
  "TrackId" INTEGER PRIMARY KEY,
  "Name" VARCHAR(200) NOT NULL,
  "AlbumId" INTEGER REFERENCES "Album" ("AlbumId"),
  "MediaTypeId" INTEGER NOT NULL REFERENCES "MediaType" ("MediaTypeId"),
  "GenreId" INTEGER REFERENCES "Genre" ("GenreId"),
  "Composer" VARCHAR(220),
  "Milliseconds" INTEGER NOT NULL,
  "Bytes" INTEGER,
  "UnitPrice" DECIMAL(10,2) NOT NULL
);
CREATE TABLE "Employee" (
  "EmployeeId" INTEGER PRIMARY KEY,
  "LastName" VARCHAR(20) NOT NULL,
  "FirstName" VARCHAR(20) NOT NULL,
  "Title" VARCHAR(30),
  "ReportsTo" INTEGER REFERENCES "Employee" ("EmployeeId"),
  "BirthDate" DATE,
  "HireDate" DATE,
  "Address" VARCHAR(70),
  "City" VARCHAR(40),
  "State" VARCHAR(40),
  "Country" VARCHAR(40),
  "PostalCode" VARCHAR(10),
  "Phone" VARCHAR(24),
  "Fax" VARCHAR(24),
  "Email" VARCHAR(60)
);
CREATE TABLE "Customer" (
  "CustomerId" INTEGER PRIMARY KEY,
  "FirstName" VARCHAR(40) NOT NULL,
  "LastName" VARCHAR(20) NOT NULL,
  "Company" VARCHAR(80),
  "Address" VARCHAR(70),
  "City" VARCHAR(40),
  "State" VARCHAR(40),
  "Country" VARCHAR(40),
  "PostalCode" VARCHAR(10),
  "Phone" VARCHAR(24),
  "Fax" VARCHAR(24),
  "Email" VARCHAR(60) NOT NULL,
  "SupportRepId" INTEGER REFERENCES "Employee" ("EmployeeId")
);
CREATE TABLE "Invoice" (
  "InvoiceId" INTEGER PRIMARY KEY,
  "CustomerId" INTEGER NOT NULL REFERENCES "Customer" ("CustomerId"),
  "InvoiceDate" DATE NOT NULL,
  "BillingAddress" VARCHAR(70),
  "BillingCity" VARCHAR(40),
  "BillingState" VARCHAR(40),
  "BillingCountry" VARCHAR(40),
  "BillingPostalCode" VARCHAR(10),
  "Total" DECIMAL(10,2) NOT NULL
);
CREATE TABLE "InvoiceLine" (
  "InvoiceLineId" INTEGER PRIMARY KEY,
  "InvoiceId" INTEGER NOT NULL REFERENCES "Invoice" ("InvoiceId"),
  "TrackId" INTEGER NOT NULL REFERENCES "Track" ("TrackId"),
  "UnitPrice" DECIMAL(10,2) NOT NULL,
  "Quantity" INTEGER NOT NULL
);
CREATE TABLE "Playlist" ("PlaylistId" INTEGER PRIMARY KEY, "Name" VARCHAR(120));
CREATE TABLE "PlaylistTrack" (
  "PlaylistId" INTEGER NOT NULL REFERENCES "Playlist" ("PlaylistId"),
  "TrackId" INTEGER NOT NULL REFERENCES "Track" ("TrackId"),
  PRIMARY KEY ("PlaylistId", "TrackId")
);

INSERT INTO "Artist" VALUES (1, 'AC/DC'), (2, 'Accept');
INSERT INTO "Album" VALUES (1, 'For Those About To Rock We Salute You', 1), (2, 'Balls to the Wall', 2);
INSERT INTO "MediaType" VALUES (1, 'MPEG audio file'), (2, 'Protected AAC audio file');
INSERT INTO "Genre" VALUES (1, 'Rock'), (2, 'Jazz');
INSERT INTO "Track" VALUES
  (1, 'For Those About To Rock (We Salute You)', 1, 1, 1, 'Angus Young, Malcolm Young, Brian Johnson', 343719, 11170334, 0.99),
  (2, 'Balls to the Wall', 2, 2, 1, NULL, 342562, 5510424, 0.99),
  (3, 'Fast As a Shark', 2, 2, 1, 'F. Baltes, S. Kaufman, U. Dirkscneider & W. Hoffman', 230619, 3990994, 0.99);
INSERT INTO "Employee" VALUES
  (1, 'Adams', 'Andrew', 'General Manager', NULL, '1962-02-18', '2002-08-14', '11120 Jasper Ave NW', 'Edmonton', 'AB', 'Canada', 'T5K 2N1', '+1 (780) 428-9482', '+1 (780) 428-3457', 'andrew@chinookcorp.com'),
  (2, 'Edwards', 'Nancy', 'Sales Manager', 1, '1958-12-08', '2002-05-01', '825 8 Ave SW', 'Calgary', 'AB', 'Canada', 'T2P 2T3', '+1 (403) 262-3443', '+1 (403) 262-3322', 'nancy@chinookcorp.com'),
  (3, 'Peacock', 'Jane', 'Sales Support Agent', 2, '1973-08-29', '2002-04-01', '1111 6 Ave SW', 'Calgary', 'AB', 'Canada', 'T2P 5M5', '+1 (403) 262-3443', '+1 (403) 262-6712', 'jane@chinookcorp.com');
INSERT INTO "Customer" VALUES
  (1, 'Luís', 'Gonçalves', 'Embraer - Empresa Brasileira de Aeronáutica S.A.', 'Av. Brigadeiro Faria Lima, 2170', 'São José dos Campos', 'SP', 'Brazil', '12227-000', '+55 (12) 3923-5555', '+55 (12) 3923-5566', 'luisg@embraer.com.br', 3),
  (2, 'Leonie', 'Köhler', NULL, 'Theodor-Heuss-Straße 34', 'Stuttgart', NULL, 'Germany', '70174', '+49 0711 2842222', NULL, 'leonekohler@surfeu.de', 3),
  (3, 'François', 'Tremblay', NULL, '1498 rue Bélanger', 'Montréal', 'QC', 'Canada', 'H2G 1A7', '+1 (514) 721-4711', NULL, 'ftremblay@gmail.com', 3);
INSERT INTO "Invoice" VALUES
  (1, 2, '2024-01-01', 'Theodor-Heuss-Straße 34', 'Stuttgart', NULL, 'Germany', '70174', 1.98),
  (2, 1, '2024-01-02', 'Av. Brigadeiro Faria Lima, 2170', 'São José dos Campos', 'SP', 'Brazil', '12227-000', 1.98),
  (3, 1, '2024-03-05', 'Av. Brigadeiro Faria Lima, 2170', 'São José dos Campos', 'SP', 'Brazil', '12227-000', 0.99),
  (4, 3, '2024-03-06', '1498 rue Bélanger', 'Montréal', 'QC', 'Canada', 'H2G 1A7', 0.99);
INSERT INTO "InvoiceLine" VALUES
  (1, 1, 2, 0.99, 1), (2, 1, 3, 0.99, 1), (3, 2, 1, 0.99, 1), (4, 2, 2, 0.99, 1), (5, 3, 3, 0.99, 1), (6, 4, 1, 0.99, 1);
INSERT INTO "Playlist" VALUES (1, 'Music');
INSERT INTO "PlaylistTrack" VALUES (1, 1), (1, 2);
