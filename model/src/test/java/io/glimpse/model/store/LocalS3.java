package io.glimpse.model.store;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 implementation in the test JVM: S3Proxy over an in-memory blob store, on 127.0.0.1,
 * checking AWS signatures. It can be stopped and started again on the same port with the same
 * objects, to play an outage. The store under test finds the credentials where the SDK's default
 * chain looks ({@code aws.accessKeyId} and {@code aws.secretAccessKey} system properties).
 *
 * <p>Shared with downstream modules' tests through this module's test jar (ops depends on {@code
 * glimpse-model} with {@code <type>test-jar</type>}).
 */
public final class LocalS3 implements AutoCloseable {

  public static final String ACCESS_KEY = "glimpse-test-access";
  public static final String SECRET_KEY = "glimpse-test-secret";

  private final BlobStore blobs = new TransientNio2BlobStore();
  private final S3Client client;
  private S3Proxy proxy;
  private int port;

  private LocalS3() throws Exception {
    System.setProperty("aws.accessKeyId", ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", SECRET_KEY);
    start();
    client =
        S3Client.builder()
            .httpClient(UrlConnectionHttpClient.create())
            .endpointOverride(endpoint())
            .forcePathStyle(true)
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
            .build();
  }

  /** Starts S3Proxy on a free port, with these buckets created. */
  public static LocalS3 open(String... buckets) throws Exception {
    LocalS3 s3 = new LocalS3();
    for (String bucket : buckets) {
      s3.client.createBucket(b -> b.bucket(bucket));
    }
    return s3;
  }

  /** Starts serving again, on the port it had (or a free one the first time). */
  public void start() throws Exception {
    proxy =
        S3Proxy.builder()
            .blobStore(blobs)
            .endpoint(URI.create("http://127.0.0.1:" + port))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .build();
    proxy.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> proxy.getState().equals("STARTED"));
    port = proxy.getPort();
  }

  /** Stops serving: connections are refused until {@link #start()}. */
  public void stop() throws Exception {
    proxy.stop();
  }

  /** Where S3Proxy serves: {@code http://127.0.0.1:<port>}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** A client with the test credentials, for what the test does behind the store's back. */
  public S3Client client() {
    return client;
  }

  /** Settings that reach this S3Proxy, caching in {@code cacheDirectory}. */
  public S3StoreSettings.Builder settings(java.nio.file.Path cacheDirectory) {
    return S3StoreSettings.builder()
        .optEndpoint(endpoint().toString())
        .optPathStyle(true)
        .optCacheDirectory(cacheDirectory);
  }

  @Override
  public void close() {
    client.close();
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("S3Proxy did not stop", e);
    }
  }
}
