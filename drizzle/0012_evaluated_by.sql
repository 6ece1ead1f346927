-- Who stored an evaluation: a review run or the caseworker who recorded it (queries no longer store).
ALTER TABLE "qualification_evaluations" ADD COLUMN "evaluated_by" text;
