package io.glimpse.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium ({@code chromium}) driven through its {@code chromium-driver}, for the
 * live page's browser tests. Selenium Manager is never asked: nothing is downloaded.
 */
public final class HeadlessChromium {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private HeadlessChromium() {}

  /** Whether both Debian packages are installed. */
  public static boolean installed() {
    return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
  }

  /** Skips the test without the packages, or fails it where CI requires them. */
  public static void assumeInstalled() {
    RequiredPackage.assumeInstalled(Files.isExecutable(CHROMIUM), "chromium");
    RequiredPackage.assumeInstalled(Files.isExecutable(CHROMEDRIVER), "chromium-driver");
  }

  /** Starts a headless browser, 1400×1000; the caller quits it. */
  public static WebDriver start() {
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toString());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1400,1000");
    return new ChromeDriver(options);
  }
}
