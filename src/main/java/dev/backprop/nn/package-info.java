/**
 * The engine: BLAS products, parallel blocks, layers, activations, losses, optimizers, network, trainer, metrics.
 * Imports the JDK and the BLAS library only: nothing from Spring, Jakarta, Jackson or any other package of ours.
 */
package dev.backprop.nn;
