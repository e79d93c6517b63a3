/**
 * Trained models: their stored format, import, ONNX export, prediction and evaluation.
 * Imports the engine and data; never job, training, search or web.
 */
package dev.backprop.model;
