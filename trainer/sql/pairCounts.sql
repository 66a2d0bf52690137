-- Co-purchase counts for `sidecart train --pair-counts`, for shops whose order history lives in a
-- warehouse (BigQuery, Spark SQL, Snowflake, DuckDB, SQLite): the same counts the trainer makes from
-- order lines, in one result to export as CSV or Parquet.
--
-- Input: one row per order line with order_id, product_id and quantity (drop the quantity condition
-- if there is none). Only the line marked SOURCE changes per engine:
--   DuckDB:     FROM read_csv('orders.csv.gz', header = true)   (or read_parquet('orders/*.parquet'))
--   BigQuery:   FROM `my_project.my_dataset.order_lines`
--   Spark SQL:  FROM order_lines
--   Snowflake:  FROM my_db.my_schema.order_lines
--
-- Output: item_a, item_b, baskets, where
--   item_a, item_b, n  — n distinct baskets (orders) hold both products (item_a < item_b, once a pair)
--   item_a, '',     n  — n baskets hold item_a
--   '',     '',     n  — there are n baskets
-- Like the trainer: a product counts once per order; returns (quantity <= 0) and empty ids are left
-- out; baskets with more than 1,000 distinct products add no pairs (bulk orders say little about
-- affinity; the trainer's --max-basket). Pairs seen in fewer than 2 baskets are left out (the HAVING
-- line). With the default learner (auto = sparse) and --min-support 2 that changes nothing: no part of
-- the model (neighbour lists, their weights, the evidence, the embeddings) uses a rarer pair. Only
-- --learner dense refuses pruned counts (its matrix is then indefinite).
-- Remove the HAVING line to keep them (needed only with --min-support 1). Either way the model is the
-- one the trainer learns from the order lines with --no-basket-weights (counts carry no basket sizes,
-- so every basket counts 1); test/trainer/pairCounts.test.ts checks both on the whole bundled orders.
WITH lines AS (
  SELECT DISTINCT order_id, product_id
  FROM order_lines -- SOURCE
  WHERE order_id IS NOT NULL
    AND product_id IS NOT NULL AND product_id <> ''
    AND quantity > 0
),
sizes AS (
  SELECT order_id, COUNT(*) AS items
  FROM lines
  GROUP BY order_id
),
pair_lines AS (
  SELECT lines.order_id, lines.product_id
  FROM lines
  JOIN sizes ON sizes.order_id = lines.order_id
  WHERE sizes.items BETWEEN 2 AND 1000
)
SELECT a.product_id AS item_a, b.product_id AS item_b, COUNT(*) AS baskets
FROM pair_lines a
JOIN pair_lines b ON a.order_id = b.order_id AND a.product_id < b.product_id
GROUP BY a.product_id, b.product_id
HAVING COUNT(*) >= 2
UNION ALL
SELECT product_id, '', COUNT(*)
FROM lines
GROUP BY product_id
UNION ALL
SELECT '', '', COUNT(DISTINCT order_id)
FROM lines;
