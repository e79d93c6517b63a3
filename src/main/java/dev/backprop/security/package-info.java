/**
 * Who is calling: API keys and their tenants, roles, quotas, rate limits, the security headers and the loopback rule.
 * Imports platform only; the features import it, never the other way round (their usage comes in through {@link dev.backprop.security.QuotaMeter}).
 */
package dev.backprop.security;
