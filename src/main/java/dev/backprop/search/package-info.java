/**
 * Every hyperparameter search: parameter spaces, trials, their scheduling, storage, ranking and refit.
 * Builds on training and job; imports no web package.
 */
package dev.backprop.search;
