/**
 * MobileNetV1 (Howard et al. 2017, "MobileNets: Efficient Convolutional Neural Networks for Mobile
 * Vision Applications") built with DJL's {@code nn} API.
 *
 * <p>{@link io.glimpse.model.mobilenet.MobileNetV1#builder()} returns a DJL {@link ai.djl.nn.Block}
 * laid out exactly as the paper's Table 1; the layer table is written once, as data, and the
 * network is built by looping over it.
 */
package io.glimpse.model.mobilenet;
