package dev.meridian.hub;

import java.nio.file.Path;

/** A hub in a child JVM, for the kill -9 test: prints its port, then serves until killed. */
public final class CrashTestHubMain {
  private CrashTestHubMain() {}

  public static void main(String[] args) throws InterruptedException {
    Hub hub = Hub.start(HubOptions.of(Path.of(args[0]), "127.0.0.1", 0));
    System.out.println("URL " + hub.url());
    System.out.flush();
    Thread.currentThread().join();
  }
}
