-- Utility readings grow by ~100 M rows a year at province scale: one range partition per month of
-- "month". A month's partition is made ahead by the job queue (src/db/partitions.ts) through
-- ut_readings_month_partition, which the runtime role may call but not imitate (SECURITY DEFINER: it
-- runs as the owner of ut_readings); rows for a month with no partition yet land in ut_readings_default
-- and are moved into their own partition when it is made. Feeds insert into the parent; a query with a
-- month range reads only those months' partitions; an old month is detached with
-- ALTER TABLE ut_readings DETACH PARTITION ut_readings_YYYY_MM (README, "Partitioned readings").
ALTER TABLE "ut_readings" RENAME TO "ut_readings_unpartitioned";--> statement-breakpoint
ALTER TABLE "ut_readings_unpartitioned" RENAME CONSTRAINT "ut_readings_key" TO "ut_readings_unpartitioned_key";--> statement-breakpoint
CREATE TABLE "ut_readings" (
	"batch_id" integer NOT NULL,
	"as_of" date NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"unit_id" integer NOT NULL,
	"month" date NOT NULL,
	"kind" "utility_kind" NOT NULL,
	"quantity" numeric(12, 3) NOT NULL,
	"unit" text NOT NULL,
	CONSTRAINT "ut_readings_key" PRIMARY KEY("unit_id","kind","month")
) PARTITION BY RANGE ("month");--> statement-breakpoint
CREATE TABLE "ut_readings_default" PARTITION OF "ut_readings" DEFAULT;--> statement-breakpoint
CREATE FUNCTION ut_readings_month_partition(wanted date) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  first_day date := date_trunc('month', wanted)::date;
  next_first date := (date_trunc('month', wanted) + interval '1 month')::date;
  partition_name text := 'ut_readings_' || to_char(wanted, 'YYYY_MM');
BEGIN
  -- one maker at a time (several instances); an existing table of that name, attached or detached, is left alone
  PERFORM pg_advisory_xact_lock(hashtext('ut_readings_month_partition'));
  IF to_regclass(partition_name) IS NOT NULL THEN
    RETURN partition_name;
  END IF;
  EXECUTE format('CREATE TABLE %I (LIKE ut_readings INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', partition_name);
  -- the month's rows that arrived before its partition: out of the default partition, into their own
  EXECUTE format(
    'WITH moved AS (DELETE FROM ut_readings_default WHERE month >= %L AND month < %L RETURNING *) INSERT INTO %I SELECT * FROM moved',
    first_day, next_first, partition_name);
  EXECUTE format('ALTER TABLE ut_readings ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', partition_name, first_day, next_first);
  RETURN partition_name;
END $$;--> statement-breakpoint
SELECT ut_readings_month_partition(m) FROM (SELECT DISTINCT date_trunc('month', "month")::date AS m FROM "ut_readings_unpartitioned") months;--> statement-breakpoint
SELECT ut_readings_month_partition((date_trunc('month', now()) + make_interval(months => i))::date) FROM generate_series(0, 3) i;--> statement-breakpoint
INSERT INTO "ut_readings" ("batch_id", "as_of", "received_at", "unit_id", "month", "kind", "quantity", "unit")
  SELECT "batch_id", "as_of", "received_at", "unit_id", "month", "kind", "quantity", "unit" FROM "ut_readings_unpartitioned";--> statement-breakpoint
DROP TABLE "ut_readings_unpartitioned";
