package io.glimpse.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

class CachedSchemaRegistryClientTest {
  private static final Schema V1 =
      SchemaBuilder.record("R").fields().optionalString("a").endRecord();
  private static final Schema V2 =
      SchemaBuilder.record("R").fields().optionalString("a").optionalString("b").endRecord();

  @Test
  void idsAreCachedBothWays() {
    Map<String, Integer> calls = new ConcurrentHashMap<>();
    CachedSchemaRegistryClient cached =
        new CachedSchemaRegistryClient(counting(new InMemorySchemaRegistry(), calls));

    int id = cached.register("s", V1);
    assertThat(cached.register("s", V1)).isEqualTo(id);
    assertThat(cached.getId("s", V1)).isEqualTo(id);
    assertThat(cached.getSchemaById(id)).isEqualTo(V1);

    assertThat(calls).containsExactly(Map.entry("register", 1));
  }

  /** The real registry behind a proxy that counts the calls reaching it. */
  private static SchemaRegistryClient counting(
      SchemaRegistryClient target, Map<String, Integer> calls) {
    return (SchemaRegistryClient)
        Proxy.newProxyInstance(
            SchemaRegistryClient.class.getClassLoader(),
            new Class<?>[] {SchemaRegistryClient.class},
            (proxy, method, args) -> {
              calls.merge(method.getName(), 1, Integer::sum);
              try {
                return method.invoke(target, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  @Test
  void latestVersionIsRefreshedAfterItsTimeToLive() {
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    MutableClock clock = new MutableClock();
    CachedSchemaRegistryClient cached =
        new CachedSchemaRegistryClient(registry, Duration.ofSeconds(30), clock);
    registry.register("s", V1);
    assertThat(cached.getLatestSchemaMetadata("s").version()).isEqualTo(1);

    registry.register("s", V2);
    assertThat(cached.getLatestSchemaMetadata("s").version()).isEqualTo(1);
    clock.now = clock.now.plusSeconds(31);

    assertThat(cached.getLatestSchemaMetadata("s").version()).isEqualTo(2);
  }

  private static final class MutableClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
