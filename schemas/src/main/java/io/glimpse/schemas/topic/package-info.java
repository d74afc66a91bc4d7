/**
 * Glimpse's topics as typed constants: {@link io.glimpse.schemas.topic.Topics} declares each topic
 * once with its name, key and value serdes, and topic configuration.
 */
package io.glimpse.schemas.topic;
