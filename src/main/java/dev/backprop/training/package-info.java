/**
 * One training run: resolving a request into engine specs, preparing its data, running it, recording its epochs, storing its model.
 * Implements the job module's execution interface; imports no search and no web package.
 */
package dev.backprop.training;
