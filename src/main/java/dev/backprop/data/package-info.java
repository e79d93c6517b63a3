/**
 * Tables: CSV ingestion, schema and column statistics, task inference, feature pipelines (scaling, one-hot, imputation).
 * Pure Java (and commons-csv) plus the engine's Task and its ParallelBlocks (a large CSV's segments and a wide table's
 * summaries on every core): imports no Spring, no Jackson and no feature package.
 */
package dev.backprop.data;
