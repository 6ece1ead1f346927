CREATE TYPE "public"."disability_category" AS ENUM('VISUAL', 'HEARING', 'SPEECH', 'PHYSICAL', 'INTELLECTUAL', 'MENTAL', 'MULTIPLE');--> statement-breakpoint
CREATE TABLE "ca_disability_certificates" (
	"batch_id" integer NOT NULL,
	"as_of" date NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"certificate_no" text NOT NULL,
	"resident_id" text NOT NULL,
	"grade" integer NOT NULL,
	"category" "disability_category" NOT NULL,
	"issued_on" date NOT NULL,
	"valid_until" date,
	CONSTRAINT "ca_disability_certificates_key" PRIMARY KEY("certificate_no")
);
--> statement-breakpoint
CREATE INDEX "ca_disability_person_idx" ON "ca_disability_certificates" USING btree ("resident_id");