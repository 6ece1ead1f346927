-- the surrogate id (and the primary key on it) goes first: a table has one primary key
ALTER TABLE "ca_allowances" DROP COLUMN "id";--> statement-breakpoint
ALTER TABLE "ca_deaths" DROP COLUMN "id";--> statement-breakpoint
ALTER TABLE "ca_incomes" DROP COLUMN "id";--> statement-breakpoint
ALTER TABLE "ca_marital" DROP COLUMN "id";--> statement-breakpoint
ALTER TABLE "mr_businesses" DROP COLUMN "id";--> statement-breakpoint
ALTER TABLE "pf_deposits" DROP COLUMN "id";--> statement-breakpoint
ALTER TABLE "ps_deaths" DROP COLUMN "id";--> statement-breakpoint
ALTER TABLE "ps_hukou" DROP COLUMN "id";--> statement-breakpoint
ALTER TABLE "ps_vehicles" DROP COLUMN "id";--> statement-breakpoint
ALTER TABLE "re_properties" DROP COLUMN "id";--> statement-breakpoint
ALTER TABLE "ss_labour_contracts" DROP COLUMN "id";--> statement-breakpoint
ALTER TABLE "ss_pension_contributions" DROP COLUMN "id";--> statement-breakpoint
ALTER TABLE "ut_readings" DROP COLUMN "id";--> statement-breakpoint
DROP INDEX "ca_allowances_key";--> statement-breakpoint
DROP INDEX "ca_deaths_key";--> statement-breakpoint
DROP INDEX "ca_incomes_key";--> statement-breakpoint
DROP INDEX "ca_marital_key";--> statement-breakpoint
DROP INDEX "mr_businesses_key";--> statement-breakpoint
DROP INDEX "pf_deposits_key";--> statement-breakpoint
DROP INDEX "ps_deaths_key";--> statement-breakpoint
DROP INDEX "ps_hukou_key";--> statement-breakpoint
DROP INDEX "ps_vehicles_key";--> statement-breakpoint
DROP INDEX "re_properties_key";--> statement-breakpoint
DROP INDEX "ss_contracts_key";--> statement-breakpoint
DROP INDEX "ss_pension_key";--> statement-breakpoint
DROP INDEX "ut_readings_key";--> statement-breakpoint
ALTER TABLE "ca_allowances" ADD CONSTRAINT "ca_allowances_key" PRIMARY KEY("resident_id");--> statement-breakpoint
ALTER TABLE "ca_deaths" ADD CONSTRAINT "ca_deaths_key" PRIMARY KEY("resident_id");--> statement-breakpoint
ALTER TABLE "ca_incomes" ADD CONSTRAINT "ca_incomes_key" PRIMARY KEY("resident_id","year");--> statement-breakpoint
ALTER TABLE "ca_marital" ADD CONSTRAINT "ca_marital_key" PRIMARY KEY("resident_id");--> statement-breakpoint
ALTER TABLE "mr_businesses" ADD CONSTRAINT "mr_businesses_key" PRIMARY KEY("registration_no","owner_resident_id");--> statement-breakpoint
ALTER TABLE "pf_deposits" ADD CONSTRAINT "pf_deposits_key" PRIMARY KEY("resident_id","month");--> statement-breakpoint
ALTER TABLE "ps_deaths" ADD CONSTRAINT "ps_deaths_key" PRIMARY KEY("resident_id");--> statement-breakpoint
ALTER TABLE "ps_hukou" ADD CONSTRAINT "ps_hukou_key" PRIMARY KEY("resident_id");--> statement-breakpoint
ALTER TABLE "ps_vehicles" ADD CONSTRAINT "ps_vehicles_key" PRIMARY KEY("plate");--> statement-breakpoint
ALTER TABLE "re_properties" ADD CONSTRAINT "re_properties_key" PRIMARY KEY("certificate_no","owner_resident_id");--> statement-breakpoint
ALTER TABLE "ss_labour_contracts" ADD CONSTRAINT "ss_contracts_key" PRIMARY KEY("resident_id","employer","start_date");--> statement-breakpoint
ALTER TABLE "ss_pension_contributions" ADD CONSTRAINT "ss_pension_key" PRIMARY KEY("resident_id","month");--> statement-breakpoint
ALTER TABLE "ut_readings" ADD CONSTRAINT "ut_readings_key" PRIMARY KEY("unit_id","kind","month");
