/**
 * The /models controller and its request and response records.
 * Request and response records stay here; no repository and no engine type is used here.
 */
package dev.backprop.model.web;
