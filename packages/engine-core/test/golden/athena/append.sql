CREATE EXTERNAL TABLE `sales`.`engine_stg_orders_0123456789ab` (
  `order_id` string,
  `customer_id` string,
  `email` string,
  `amount` string,
  `order_ts` string,
  `updated_at` string
)
ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'
WITH SERDEPROPERTIES ('separatorChar' = ',', 'quoteChar' = '"', 'escapeChar' = '\\')
STORED AS TEXTFILE
LOCATION 's3://lake/_staging/engine_stg_orders_0123456789ab/'
TBLPROPERTIES ('skip.header.line.count' = '1');

SELECT count_if("order_id" IS NULL) AS "order_id" FROM (WITH "source" AS (SELECT NULLIF("order_id", '') AS "order_id", NULLIF("customer_id", '') AS "customer_id", NULLIF("email", '') AS "email", NULLIF("amount", '') AS "amount", NULLIF("order_ts", '') AS "order_ts", NULLIF("updated_at", '') AS "updated_at" FROM "sales"."engine_stg_orders_0123456789ab"),
"__engine_rows" AS (SELECT CAST("order_id" AS bigint) AS "order_id", CAST("customer_id" AS bigint) AS "customer_id", CAST("email" AS varchar) AS "email", CAST("amount" AS decimal(12,2)) AS "amount", CAST(from_iso8601_timestamp(replace(trim("order_ts"), ' ', 'T')) AS timestamp(6) with time zone) AS "order_ts", CAST(from_iso8601_timestamp(replace(trim("updated_at"), ' ', 'T')) AS timestamp(6) with time zone) AS "updated_at", CAST((CAST(substr(order_ts, 1, 10) AS date)) AS date) AS "order_day" FROM "source")
SELECT "order_id", "customer_id", "email", "amount", "order_ts", "updated_at", "order_day" FROM (SELECT *, row_number() OVER (PARTITION BY "order_id" ORDER BY "updated_at" DESC NULLS LAST, "order_id" ASC NULLS LAST, "customer_id" ASC NULLS LAST, "email" ASC NULLS LAST, "amount" ASC NULLS LAST, "order_ts" ASC NULLS LAST, "updated_at" ASC NULLS LAST, "order_day" ASC NULLS LAST) AS "__engine_rn" FROM "__engine_rows") WHERE "__engine_rn" = 1);

SELECT count_if("order_id" IS NULL), count_if("order_ts" IS NULL) FROM (WITH "source" AS (SELECT NULLIF("order_id", '') AS "order_id", NULLIF("customer_id", '') AS "customer_id", NULLIF("email", '') AS "email", NULLIF("amount", '') AS "amount", NULLIF("order_ts", '') AS "order_ts", NULLIF("updated_at", '') AS "updated_at" FROM "sales"."engine_stg_orders_0123456789ab"),
"__engine_rows" AS (SELECT CAST("order_id" AS bigint) AS "order_id", CAST("customer_id" AS bigint) AS "customer_id", CAST("email" AS varchar) AS "email", CAST("amount" AS decimal(12,2)) AS "amount", CAST(from_iso8601_timestamp(replace(trim("order_ts"), ' ', 'T')) AS timestamp(6) with time zone) AS "order_ts", CAST(from_iso8601_timestamp(replace(trim("updated_at"), ' ', 'T')) AS timestamp(6) with time zone) AS "updated_at", CAST((CAST(substr(order_ts, 1, 10) AS date)) AS date) AS "order_day" FROM "source")
SELECT "order_id", "customer_id", "email", "amount", "order_ts", "updated_at", "order_day" FROM (SELECT *, row_number() OVER (PARTITION BY "order_id" ORDER BY "updated_at" DESC NULLS LAST, "order_id" ASC NULLS LAST, "customer_id" ASC NULLS LAST, "email" ASC NULLS LAST, "amount" ASC NULLS LAST, "order_ts" ASC NULLS LAST, "updated_at" ASC NULLS LAST, "order_day" ASC NULLS LAST) AS "__engine_rn" FROM "__engine_rows") WHERE "__engine_rn" = 1);

SELECT count(*) FROM (SELECT "order_id" FROM (WITH "source" AS (SELECT NULLIF("order_id", '') AS "order_id", NULLIF("customer_id", '') AS "customer_id", NULLIF("email", '') AS "email", NULLIF("amount", '') AS "amount", NULLIF("order_ts", '') AS "order_ts", NULLIF("updated_at", '') AS "updated_at" FROM "sales"."engine_stg_orders_0123456789ab"),
"__engine_rows" AS (SELECT CAST("order_id" AS bigint) AS "order_id", CAST("customer_id" AS bigint) AS "customer_id", CAST("email" AS varchar) AS "email", CAST("amount" AS decimal(12,2)) AS "amount", CAST(from_iso8601_timestamp(replace(trim("order_ts"), ' ', 'T')) AS timestamp(6) with time zone) AS "order_ts", CAST(from_iso8601_timestamp(replace(trim("updated_at"), ' ', 'T')) AS timestamp(6) with time zone) AS "updated_at", CAST((CAST(substr(order_ts, 1, 10) AS date)) AS date) AS "order_day" FROM "source")
SELECT "order_id", "customer_id", "email", "amount", "order_ts", "updated_at", "order_day" FROM (SELECT *, row_number() OVER (PARTITION BY "order_id" ORDER BY "updated_at" DESC NULLS LAST, "order_id" ASC NULLS LAST, "customer_id" ASC NULLS LAST, "email" ASC NULLS LAST, "amount" ASC NULLS LAST, "order_ts" ASC NULLS LAST, "updated_at" ASC NULLS LAST, "order_day" ASC NULLS LAST) AS "__engine_rn" FROM "__engine_rows") WHERE "__engine_rn" = 1) GROUP BY "order_id" HAVING count(*) > 1);

SELECT count(*) FROM (WITH "source" AS (SELECT NULLIF("order_id", '') AS "order_id", NULLIF("customer_id", '') AS "customer_id", NULLIF("email", '') AS "email", NULLIF("amount", '') AS "amount", NULLIF("order_ts", '') AS "order_ts", NULLIF("updated_at", '') AS "updated_at" FROM "sales"."engine_stg_orders_0123456789ab"),
"__engine_rows" AS (SELECT CAST("order_id" AS bigint) AS "order_id", CAST("customer_id" AS bigint) AS "customer_id", CAST("email" AS varchar) AS "email", CAST("amount" AS decimal(12,2)) AS "amount", CAST(from_iso8601_timestamp(replace(trim("order_ts"), ' ', 'T')) AS timestamp(6) with time zone) AS "order_ts", CAST(from_iso8601_timestamp(replace(trim("updated_at"), ' ', 'T')) AS timestamp(6) with time zone) AS "updated_at", CAST((CAST(substr(order_ts, 1, 10) AS date)) AS date) AS "order_day" FROM "source")
SELECT "order_id", "customer_id", "email", "amount", "order_ts", "updated_at", "order_day" FROM (SELECT *, row_number() OVER (PARTITION BY "order_id" ORDER BY "updated_at" DESC NULLS LAST, "order_id" ASC NULLS LAST, "customer_id" ASC NULLS LAST, "email" ASC NULLS LAST, "amount" ASC NULLS LAST, "order_ts" ASC NULLS LAST, "updated_at" ASC NULLS LAST, "order_day" ASC NULLS LAST) AS "__engine_rn" FROM "__engine_rows") WHERE "__engine_rn" = 1);

INSERT INTO "sales"."orders" ("order_id", "customer_id", "email", "amount", "order_ts", "updated_at", "order_day")
WITH "source" AS (SELECT NULLIF("order_id", '') AS "order_id", NULLIF("customer_id", '') AS "customer_id", NULLIF("email", '') AS "email", NULLIF("amount", '') AS "amount", NULLIF("order_ts", '') AS "order_ts", NULLIF("updated_at", '') AS "updated_at" FROM "sales"."engine_stg_orders_0123456789ab"),
"__engine_rows" AS (SELECT CAST("order_id" AS bigint) AS "order_id", CAST("customer_id" AS bigint) AS "customer_id", CAST("email" AS varchar) AS "email", CAST("amount" AS decimal(12,2)) AS "amount", CAST(from_iso8601_timestamp(replace(trim("order_ts"), ' ', 'T')) AS timestamp(6) with time zone) AS "order_ts", CAST(from_iso8601_timestamp(replace(trim("updated_at"), ' ', 'T')) AS timestamp(6) with time zone) AS "updated_at", CAST((CAST(substr(order_ts, 1, 10) AS date)) AS date) AS "order_day" FROM "source")
SELECT "order_id", "customer_id", "email", "amount", "order_ts", "updated_at", "order_day" FROM (SELECT *, row_number() OVER (PARTITION BY "order_id" ORDER BY "updated_at" DESC NULLS LAST, "order_id" ASC NULLS LAST, "customer_id" ASC NULLS LAST, "email" ASC NULLS LAST, "amount" ASC NULLS LAST, "order_ts" ASC NULLS LAST, "updated_at" ASC NULLS LAST, "order_day" ASC NULLS LAST) AS "__engine_rn" FROM "__engine_rows") WHERE "__engine_rn" = 1;

DROP TABLE IF EXISTS `sales`.`engine_stg_orders_0123456789ab`;
