CREATE OR REPLACE VIEW sales.customers_masked AS
SELECT
  "customer_id",
  (CASE WHEN "email" IS NULL THEN NULL ELSE CASE WHEN regexp_like(CAST("email" AS VARCHAR), '^[^@]+@[^@]+$') THEN substr(CAST("email" AS VARCHAR), 1, 1) || '***@' || split_part(CAST("email" AS VARCHAR), '@', 2) ELSE CASE WHEN length(CAST("email" AS VARCHAR)) = 0 THEN '' ELSE substr(CAST("email" AS VARCHAR), 1, 1) || lpad('', length(CAST("email" AS VARCHAR)) - 1, '*') END END END) AS "email",
  (CASE WHEN "phone" IS NULL THEN NULL ELSE regexp_replace(CAST("phone" AS VARCHAR), '[\p{L}\p{N}]', '*') END) AS "phone",
  (CASE WHEN "rrn" IS NULL THEN NULL ELSE '[REDACTED]' END) AS "rrn",
  (CASE WHEN "ip" IS NULL THEN NULL ELSE CASE WHEN regexp_like(CAST("ip" AS VARCHAR), '^[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$') THEN split_part(CAST("ip" AS VARCHAR), '.', 1) || '.' || split_part(CAST("ip" AS VARCHAR), '.', 2) || '.*.*' ELSE CASE WHEN length(CAST("ip" AS VARCHAR)) = 0 THEN '' ELSE substr(CAST("ip" AS VARCHAR), 1, 1) || lpad('', length(CAST("ip" AS VARCHAR)) - 1, '*') END END END) AS "ip",
  "segment"
FROM sales.customers
