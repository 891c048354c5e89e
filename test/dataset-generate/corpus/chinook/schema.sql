-- A digital music store in PascalCase, after the Chinook sample database (MIT licence): artists,
-- albums, tracks, playlists, the store's employees, its customers and their invoices.
-- dialects: sqlite, postgres
create table "Artist" (
  "ArtistId" integer primary key,
  "Name" varchar(120)
);
create table "Album" (
  "AlbumId" integer primary key,
  "Title" varchar(160) not null,
  "ArtistId" integer not null references "Artist" ("ArtistId")
);
create table "Genre" (
  "GenreId" integer primary key,
  "Name" varchar(120)
);
create table "MediaType" (
  "MediaTypeId" integer primary key,
  "Name" varchar(120)
);
create table "Track" (
  "TrackId" integer primary key,
  "Name" varchar(200) not null,
  "AlbumId" integer references "Album" ("AlbumId"),
  "MediaTypeId" integer not null references "MediaType" ("MediaTypeId"),
  "GenreId" integer references "Genre" ("GenreId"),
  "Composer" varchar(220),
  "Milliseconds" integer not null,
  "Bytes" integer,
  "UnitPrice" numeric(10,2) not null
);
create table "Playlist" (
  "PlaylistId" integer primary key,
  "Name" varchar(120)
);
create table "PlaylistTrack" (
  "PlaylistId" integer not null references "Playlist" ("PlaylistId"),
  "TrackId" integer not null references "Track" ("TrackId"),
  primary key ("PlaylistId", "TrackId")
);
create table "Employee" (
  "EmployeeId" integer primary key,
  "LastName" varchar(20) not null,
  "FirstName" varchar(20) not null,
  "Title" varchar(30),
  "ReportsTo" integer references "Employee" ("EmployeeId"),
  "BirthDate" timestamp,
  "HireDate" timestamp,
  "Address" varchar(70),
  "City" varchar(40),
  "State" varchar(40),
  "Country" varchar(40),
  "PostalCode" varchar(10),
  "Phone" varchar(24),
  "Fax" varchar(24),
  "Email" varchar(60)
);
create table "Customer" (
  "CustomerId" integer primary key,
  "FirstName" varchar(40) not null,
  "LastName" varchar(20) not null,
  "Company" varchar(80),
  "Address" varchar(70),
  "City" varchar(40),
  "State" varchar(40),
  "Country" varchar(40),
  "PostalCode" varchar(10),
  "Phone" varchar(24),
  "Fax" varchar(24),
  "Email" varchar(60) not null,
  "SupportRepId" integer references "Employee" ("EmployeeId")
);
create table "Invoice" (
  "InvoiceId" integer primary key,
  "CustomerId" integer not null references "Customer" ("CustomerId"),
  "InvoiceDate" timestamp not null,
  "BillingAddress" varchar(70),
  "BillingCity" varchar(40),
  "BillingState" varchar(40),
  "BillingCountry" varchar(40),
  "BillingPostalCode" varchar(10),
  "Total" numeric(10,2) not null
);
create table "InvoiceLine" (
  "InvoiceLineId" integer primary key,
  "InvoiceId" integer not null references "Invoice" ("InvoiceId"),
  "TrackId" integer not null references "Track" ("TrackId"),
  "UnitPrice" numeric(10,2) not null,
  "Quantity" integer not null
);
