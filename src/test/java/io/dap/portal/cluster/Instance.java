package io.dap.portal.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One `java -jar portal-postgresql-runner.jar` (the packaged app), with its own port, working folder and log. */
final class Instance {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final int number;
    final int port;
    private final Path app;
    private final Path folder;
    private final Path log;
    private Process process;
    private int starts;

    Instance(int number, int port, Path app, Path folder) {
        this.number = number;
        this.port = port;
        this.app = app;
        this.folder = folder;
        this.log = folder.resolve("instance-" + number + ".log");
    }

    /** Starts the process; {@link #awaitReady} tells when it serves. Each start appends to the same log. */
    void start(Map<String, String> environment) throws IOException {
        Files.createDirectories(folder);
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xmx384m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-jar", app.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        Files.writeString(log, "---- start " + (++starts) + " at " + Instant.now() + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        process = builder.start();
    }

    /** Waits for /q/health/ready (which includes the database) to answer 200. */
    void awaitReady(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("instance " + number + " exited with " + process.exitValue()
                        + ":\n" + logTail());
            }
            if (readiness() == 200) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("instance " + number + " not ready after " + timeout + ":\n" + logTail());
    }

    int readiness() {
        return status("/q/health/ready");
    }

    int liveness() {
        return status("/q/health/live");
    }

    private int status(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** SIGTERM, as an orchestrator stops an instance; returns the exit status. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        return process.exitValue();
    }

    /** SIGKILL: a crash, nothing runs on the way out. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    String address() {
        return "127.0.0.1:" + port;
    }

    String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private String logTail() {
        String text = logText();
        return text.length() > 6000 ? text.substring(text.length() - 6000) : text;
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Override
    public String toString() {
        return "instance " + number + " (" + address() + ")";
    }
}
