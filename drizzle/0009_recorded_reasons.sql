ALTER TABLE "waitlist_entries" ADD COLUMN "removed_on" date;--> statement-breakpoint
ALTER TABLE "waitlist_entries" ADD COLUMN "removed_reason" text;--> statement-breakpoint
ALTER TABLE "rent_adjustments" ADD COLUMN "decided_effective_to" date;--> statement-breakpoint
ALTER TABLE "rent_adjustments" ADD COLUMN "cut_short_by" integer;--> statement-breakpoint
ALTER TABLE "rent_adjustments" ADD COLUMN "revoke_reason" text;--> statement-breakpoint
UPDATE "rent_adjustments" SET "decided_effective_to" = "effective_to";
