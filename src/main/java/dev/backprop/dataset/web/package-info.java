/**
 * The /datasets controller and its request and response records.
 * Request and response records stay here; no repository and no engine type is used here.
 */
package dev.backprop.dataset.web;
