/**
 * Cross-cutting: configuration properties, JSON, OpenAPI, problem details, request limits, shared SQL conversions.
 * Imports no feature package.
 */
package dev.backprop.platform;
