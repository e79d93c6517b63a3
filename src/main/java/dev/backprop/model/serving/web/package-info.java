/**
 * The serving protocols other systems' clients speak, over the same models: KServe's Open Inference Protocol
 * v2 (REST) and MLflow's scoring protocol, each answering errors in its own format. Imports no feature
 * package but model, and no engine type.
 */
package dev.backprop.model.serving.web;
