package io.glimpse.schemas.registry;

import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The registry base URLs a client fails over between. Sticks to the URL that last answered and
 * moves to the next one when it fails.
 */
final class RegistryEndpoints {
  private final List<String> urls;
  private final AtomicInteger current = new AtomicInteger();

  RegistryEndpoints(List<String> urls) {
    this.urls = urls.stream().map(RegistryEndpoints::withoutUserInfo).toList();
  }

  int size() {
    return urls.size();
  }

  String current() {
    return urls.get(Math.floorMod(current.get(), urls.size()));
  }

  /** Moves past {@code failed} unless another thread already did. */
  void failOver(String failed) {
    int index = current.get();
    if (urls.get(Math.floorMod(index, urls.size())).equals(failed)) {
      current.compareAndSet(index, index + 1);
    }
  }

  private static String withoutUserInfo(String url) {
    URI uri = URI.create(url);
    if (uri.getUserInfo() == null) {
      return url;
    }
    return url.replace(uri.getRawUserInfo() + "@", "");
  }
}
