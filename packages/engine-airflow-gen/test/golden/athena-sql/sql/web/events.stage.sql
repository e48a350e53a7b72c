CREATE EXTERNAL TABLE `web`.`engine_stg_events_{{ ts_nodash | lower }}` (
  `event_id` string,
  `event_ts` timestamp
)
STORED AS PARQUET
LOCATION 's3://landing/web/events/'
