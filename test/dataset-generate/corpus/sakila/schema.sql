-- A DVD rental shop in snake_case, after MySQL's Sakila sample database (BSD licence):
-- films, their actors and categories, stores, staff, customers, rentals and payments.
-- dialects: sqlite, postgres, mysql
create table country (
  country_id integer primary key,
  country varchar(50) not null,
  last_update timestamp not null
);
create table city (
  city_id integer primary key,
  city varchar(50) not null,
  country_id integer not null references country (country_id),
  last_update timestamp not null
);
create table address (
  address_id integer primary key,
  address varchar(50) not null,
  address2 varchar(50),
  district varchar(20) not null,
  city_id integer not null references city (city_id),
  postal_code varchar(10),
  phone varchar(20) not null,
  last_update timestamp not null
);
create table language (
  language_id integer primary key,
  name char(20) not null,
  last_update timestamp not null
);
create table category (
  category_id integer primary key,
  name varchar(25) not null,
  last_update timestamp not null
);
create table actor (
  actor_id integer primary key,
  first_name varchar(45) not null,
  last_name varchar(45) not null,
  last_update timestamp not null
);
create table film (
  film_id integer primary key,
  title varchar(255) not null,
  description text,
  release_year integer,
  language_id integer not null references language (language_id),
  original_language_id integer references language (language_id),
  rental_duration integer not null,
  rental_rate decimal(4,2) not null,
  length integer,
  replacement_cost decimal(5,2) not null,
  rating varchar(10),
  special_features text,
  last_update timestamp not null
);
create table film_actor (
  actor_id integer not null references actor (actor_id),
  film_id integer not null references film (film_id),
  last_update timestamp not null,
  primary key (actor_id, film_id)
);
create table film_category (
  film_id integer not null references film (film_id),
  category_id integer not null references category (category_id),
  last_update timestamp not null,
  primary key (film_id, category_id)
);
create table film_text (
  film_id integer primary key,
  title varchar(255) not null,
  description text
);
create table staff (
  staff_id integer primary key,
  first_name varchar(45) not null,
  last_name varchar(45) not null,
  address_id integer not null references address (address_id),
  picture {blob},
  email varchar(50),
  store_id integer not null,
  active boolean not null,
  username varchar(16) not null,
  password varchar(40),
  last_update timestamp not null
);
create table store (
  store_id integer primary key,
  manager_staff_id integer not null references staff (staff_id),
  address_id integer not null references address (address_id),
  last_update timestamp not null
);
-- only postgres, mysql
alter table staff add foreign key (store_id) references store (store_id);
create table customer (
  customer_id integer primary key,
  store_id integer not null references store (store_id),
  first_name varchar(45) not null,
  last_name varchar(45) not null,
  email varchar(50),
  address_id integer not null references address (address_id),
  active boolean not null,
  create_date timestamp not null,
  last_update timestamp
);
create table inventory (
  inventory_id integer primary key,
  film_id integer not null references film (film_id),
  store_id integer not null references store (store_id),
  last_update timestamp not null
);
create table rental (
  rental_id integer primary key,
  rental_date timestamp not null,
  inventory_id integer not null references inventory (inventory_id),
  customer_id integer not null references customer (customer_id),
  return_date timestamp,
  staff_id integer not null references staff (staff_id),
  last_update timestamp not null
);
create table payment (
  payment_id integer primary key,
  customer_id integer not null references customer (customer_id),
  staff_id integer not null references staff (staff_id),
  rental_id integer references rental (rental_id),
  amount decimal(5,2) not null,
  payment_date timestamp not null,
  last_update timestamp
);
