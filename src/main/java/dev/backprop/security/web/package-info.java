/**
 * The /admin edge: tenants with their quotas and usage, and API keys.
 * Imports security and platform only.
 */
package dev.backprop.security.web;
