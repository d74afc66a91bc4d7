/** The model being served: loading, verifying and holding it for the batches. */
package io.glimpse.pipeline.serving;
