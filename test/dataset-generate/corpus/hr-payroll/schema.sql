-- Human resources and payroll in two PostgreSQL schemas (hr, payroll), after MySQL's "employees"
-- sample database (CC BY-SA) with the abbreviations payroll systems are written with (emp_no,
-- dob, ni_number, addr1, tel...). On SQLite the two schemas are one database.
-- dialects: sqlite, postgres
-- only postgres
create schema hr;
-- only postgres
create schema payroll;
create table {hr}departments (
  dept_no char(4) primary key,
  dept_name varchar(40) not null
);
create table {hr}employees (
  emp_no integer primary key,
  birth_date date not null,
  first_name varchar(14) not null,
  last_name varchar(16) not null,
  gender char(1) not null,
  hire_date date not null,
  work_email varchar(120),
  personal_email varchar(120),
  mobile_tel varchar(20),
  addr1 varchar(100),
  addr2 varchar(100),
  town varchar(60),
  county varchar(60),
  postcode varchar(10),
  ni_number varchar(13),
  marital_status varchar(10),
  nationality varchar(40),
  next_of_kin_name varchar(100),
  next_of_kin_tel varchar(20),
  photo {blob}
);
create table {hr}dept_emp (
  emp_no integer not null references {hr}employees (emp_no),
  dept_no char(4) not null references {hr}departments (dept_no),
  from_date date not null,
  to_date date not null,
  primary key (emp_no, dept_no)
);
create table {hr}dept_manager (
  emp_no integer not null references {hr}employees (emp_no),
  dept_no char(4) not null references {hr}departments (dept_no),
  from_date date not null,
  to_date date not null,
  primary key (emp_no, dept_no)
);
create table {hr}titles (
  emp_no integer not null references {hr}employees (emp_no),
  title varchar(50) not null,
  from_date date not null,
  to_date date,
  primary key (emp_no, title, from_date)
);
create table {hr}absences (
  absence_id integer primary key,
  emp_no integer not null references {hr}employees (emp_no),
  absence_type varchar(20) not null,
  start_dt date not null,
  end_dt date,
  reason text,
  approved_by integer references {hr}employees (emp_no)
);
create table {hr}performance_reviews (
  review_id integer primary key,
  emp_no integer not null references {hr}employees (emp_no),
  reviewer_emp_no integer not null references {hr}employees (emp_no),
  review_dt date not null,
  rating smallint,
  comments text
);
create table {payroll}salaries (
  emp_no integer not null references {hr}employees (emp_no),
  salary integer not null,
  from_date date not null,
  to_date date not null,
  primary key (emp_no, from_date)
);
create table {payroll}bank_details (
  emp_no integer primary key references {hr}employees (emp_no),
  account_holder varchar(100) not null,
  sort_code varchar(8) not null,
  account_no varchar(12) not null,
  updated_on date
);
create table {payroll}pay_runs (
  run_id integer primary key,
  period_start date not null,
  period_end date not null,
  pay_dt date not null,
  status varchar(12) not null
);
create table {payroll}payslips (
  payslip_id integer primary key,
  run_id integer not null references {payroll}pay_runs (run_id),
  emp_no integer not null references {hr}employees (emp_no),
  gross_pay numeric(10,2) not null,
  tax_paid numeric(10,2) not null,
  ni_contrib numeric(10,2) not null,
  pension_contrib numeric(10,2) not null,
  net_pay numeric(10,2) not null,
  tax_code varchar(10) not null
);
create table {payroll}tax_codes (
  tax_code varchar(10) primary key,
  description varchar(100) not null,
  allowance numeric(10,2) not null
);
