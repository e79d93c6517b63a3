/**
 * The /jobs controller: submit (or dry-run), list, follow, read metrics, cancel and delete; its request and response records.
 * The edge of the job flow: may use training and search to resolve and report; no repository and no engine type.
 */
package dev.backprop.job.web;
