/**
 * The /datasets resource: upload, columnar storage, listing, inspection and deletion of stored data sets.
 * Imports data and the job table (to refuse deleting a data set in use); never training, search, model or web.
 */
package dev.backprop.dataset;
