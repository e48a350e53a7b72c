INSERT INTO "web"."events" ("event_id", "event_ts")
WITH "source" AS (SELECT "event_id", "event_ts" FROM "web"."engine_stg_events_{{ ts_nodash | lower }}"),
"__engine_rows" AS (SELECT CAST("event_id" AS varchar) AS "event_id", CAST("event_ts" AS timestamp(6) with time zone) AS "event_ts" FROM "source")
SELECT "event_id", "event_ts" FROM "__engine_rows"
