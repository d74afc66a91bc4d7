package io.glimpse.ops.embedded;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.Endpoint;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.server.authorizer.AclCreateResult;
import org.apache.kafka.server.authorizer.AclDeleteResult;
import org.apache.kafka.server.authorizer.Action;
import org.apache.kafka.server.authorizer.AuthorizableRequestContext;
import org.apache.kafka.server.authorizer.AuthorizationResult;
import org.apache.kafka.server.authorizer.Authorizer;
import org.apache.kafka.server.authorizer.AuthorizerServerInfo;

/**
 * A broker authorizer for tests that allows everything, but while {@link #hold} is in force keeps
 * every write to one topic waiting on the broker until {@link #release}: a broker that takes the
 * write but answers too late for the client, whose record then lands after the client gave up.
 */
public final class WriteHoldingAuthorizer implements Authorizer {
  private static volatile String heldTopic;
  private static volatile CountDownLatch released = new CountDownLatch(0);
  private static final AtomicInteger HELD = new AtomicInteger();

  /** Writes to the topic wait from now until {@link #release()}. */
  static void hold(String topic) {
    released = new CountDownLatch(1);
    HELD.set(0);
    heldTopic = topic;
  }

  /** Lets the waiting writes through and stops holding. */
  static void release() {
    heldTopic = null;
    released.countDown();
  }

  /** How many requests waited since {@link #hold}. */
  static int held() {
    return HELD.get();
  }

  @Override
  public Map<Endpoint, ? extends java.util.concurrent.CompletionStage<Void>> start(
      AuthorizerServerInfo serverInfo) {
    return serverInfo.endpoints().stream()
        .collect(
            Collectors.toMap(
                Function.identity(), e -> CompletableFuture.<Void>completedFuture(null)));
  }

  @Override
  public List<AuthorizationResult> authorize(
      AuthorizableRequestContext context, List<Action> actions) {
    for (Action action : actions) {
      if (isHeld(action)) {
        HELD.incrementAndGet();
        awaitRelease();
      }
    }
    return actions.stream().map(a -> AuthorizationResult.ALLOWED).toList();
  }

  private static boolean isHeld(Action action) {
    String topic = heldTopic;
    return topic != null
        && action.operation() == AclOperation.WRITE
        && action.resourcePattern().resourceType() == ResourceType.TOPIC
        && action.resourcePattern().name().equals(topic);
  }

  private static void awaitRelease() {
    try {
      released.await(60, TimeUnit.SECONDS); // a forgotten release must not hang the broker
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public List<? extends java.util.concurrent.CompletionStage<AclCreateResult>> createAcls(
      AuthorizableRequestContext context, List<AclBinding> bindings) {
    throw new UnsupportedOperationException("The test authorizer keeps no ACLs");
  }

  @Override
  public List<? extends java.util.concurrent.CompletionStage<AclDeleteResult>> deleteAcls(
      AuthorizableRequestContext context, List<AclBindingFilter> filters) {
    throw new UnsupportedOperationException("The test authorizer keeps no ACLs");
  }

  @Override
  public Iterable<AclBinding> acls(AclBindingFilter filter) {
    return List.of();
  }

  @Override
  public void configure(Map<String, ?> configs) {}

  @Override
  public void close() {}
}
