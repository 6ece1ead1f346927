-- Absence of a record is evidence of "none" only for a kind an agency declared complete (feed_coverage).
-- Batches received before this migration declared nothing: until each agency sends a complete
-- extract or a nothing-to-report declaration, criteria resting on absence are UNKNOWN (stale).
CREATE TYPE "public"."coverage_basis" AS ENUM('COMPLETE_EXTRACT', 'NOTHING_TO_REPORT');--> statement-breakpoint
CREATE TABLE "feed_coverage" (
	"batch_id" integer NOT NULL,
	"agency" text NOT NULL,
	"kind" text NOT NULL,
	"as_of" date NOT NULL,
	"basis" "coverage_basis" NOT NULL
);
--> statement-breakpoint
ALTER TABLE "feed_batches" ADD COLUMN "digest" text;--> statement-breakpoint
ALTER TABLE "feed_coverage" ADD CONSTRAINT "feed_coverage_batch_id_feed_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."feed_batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "feed_coverage_batch_kind" ON "feed_coverage" USING btree ("batch_id","kind");--> statement-breakpoint
CREATE INDEX "feed_coverage_kind_idx" ON "feed_coverage" USING btree ("agency","kind","as_of");