-- A clinic's booking app in camelCase, as Prisma writes it (quoted model and field names, text ids),
-- with the usual sign-in tables of Auth.js's Prisma adapter (User, Account, Session,
-- VerificationToken): patients book appointments with practitioners, pay and leave reviews.
-- dialects: sqlite, postgres
create table "User" (
  "id" text primary key,
  "name" text,
  "email" text unique,
  "emailVerified" timestamp,
  "image" text,
  "passwordHash" text,
  "role" text not null,
  "createdAt" timestamp not null,
  "updatedAt" timestamp not null
);
create table "Account" (
  "id" text primary key,
  "userId" text not null references "User" ("id"),
  "type" text not null,
  "provider" text not null,
  "providerAccountId" text not null,
  "refresh_token" text,
  "access_token" text,
  "expires_at" integer,
  "token_type" text,
  "scope" text,
  "id_token" text,
  "session_state" text
);
create table "Session" (
  "id" text primary key,
  "sessionToken" text not null unique,
  "userId" text not null references "User" ("id"),
  "expires" timestamp not null
);
create table "VerificationToken" (
  "identifier" text not null,
  "token" text primary key,
  "expires" timestamp not null
);
create table "Clinic" (
  "id" text primary key,
  "name" text not null,
  "addressLine1" text not null,
  "city" text not null,
  "postalCode" text not null,
  "phone" text,
  "timezone" text not null
);
create table "Service" (
  "id" text primary key,
  "clinicId" text not null references "Clinic" ("id"),
  "name" text not null,
  "durationMinutes" integer not null,
  "priceCents" integer not null
);
create table "PatientProfile" (
  "id" text primary key,
  "userId" text not null unique references "User" ("id"),
  "dateOfBirth" date,
  "sex" text,
  "phoneNumber" text,
  "addressLine1" text,
  "addressLine2" text,
  "postalCode" text,
  "city" text,
  "country" text,
  "insuranceNumber" text,
  "allergies" text,
  "emergencyContactName" text,
  "emergencyContactPhone" text,
  "createdAt" timestamp not null,
  "updatedAt" timestamp not null
);
create table "Practitioner" (
  "id" text primary key,
  "userId" text not null unique references "User" ("id"),
  "clinicId" text not null references "Clinic" ("id"),
  "specialty" text not null,
  "licenseNumber" text not null,
  "bio" text
);
create table "Appointment" (
  "id" text primary key,
  "patientId" text not null references "PatientProfile" ("id"),
  "practitionerId" text not null references "Practitioner" ("id"),
  "serviceId" text not null references "Service" ("id"),
  "startsAt" timestamp not null,
  "endsAt" timestamp not null,
  "status" text not null,
  "reason" text,
  "notes" text,
  "cancelledAt" timestamp,
  "createdAt" timestamp not null,
  "updatedAt" timestamp not null
);
create table "Payment" (
  "id" text primary key,
  "appointmentId" text not null references "Appointment" ("id"),
  "amountCents" integer not null,
  "currency" text not null,
  "stripePaymentIntentId" text,
  "status" text not null,
  "paidAt" timestamp,
  "createdAt" timestamp not null
);
create table "Review" (
  "id" text primary key,
  "appointmentId" text not null unique references "Appointment" ("id"),
  "rating" integer not null,
  "comment" text,
  "createdAt" timestamp not null
);
create table "AuditLog" (
  "id" text primary key,
  "userId" text references "User" ("id"),
  "action" text not null,
  "ipAddress" text,
  "userAgent" text,
  "createdAt" timestamp not null
);
