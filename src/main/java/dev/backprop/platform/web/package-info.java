/**
 * Web pieces every controller shares: strict JSON cells, paging.
 * Imports no feature package.
 */
package dev.backprop.platform.web;
