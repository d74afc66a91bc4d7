package io.glimpse.schemas.registry;

import io.glimpse.schemas.serde.AvroSerdeConfig;

/** Creates the registry client a serde configuration asks for. */
public final class SchemaRegistryClients {
  private SchemaRegistryClients() {}

  /**
   * A {@code mock://scope} URL gives the in-process registry of that scope (shared by every serde
   * configured with it); http(s) URLs give a cached REST client.
   */
  public static SchemaRegistryClient create(AvroSerdeConfig config) {
    if (config.isMock()) {
      String scope = config.registryUrls().get(0).substring(AvroSerdeConfig.MOCK_SCHEME.length());
      return InMemorySchemaRegistry.forScope(scope);
    }
    RestSchemaRegistryClient rest =
        RestSchemaRegistryClient.builder()
            .setUrls(config.registryUrls())
            .optBasicAuth(config.basicAuthUserInfo())
            .optMaxRetries(config.maxRetries())
            .optBackoff(config.retryBackoff(), config.retryMaxBackoff())
            .optRequestTimeout(config.requestTimeout())
            .build();
    return new CachedSchemaRegistryClient(rest);
  }
}
