DROP TABLE IF EXISTS `web`.`engine_stg_events_{{ ts_nodash | lower }}`
