/**
 * Backprop: a REST service that trains feed-forward networks on tabular data; one package per feature below.
 * The application class only: features live in their packages, each with its own walls (ArchitectureTest).
 */
package dev.backprop;
