/**
 * Schema registry clients: the REST client speaking Confluent's API, a caching decorator, the
 * in-process registry behind {@code mock://} URLs, and the registry's typed errors.
 */
package io.glimpse.schemas.registry;
