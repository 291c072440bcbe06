package io.dap.portal.cluster;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Debian's nginx in front of the instances: round robin, no stickiness, the proxy settings README
 * gives operators. It also names the instance that served each response in an X-Upstream header, so
 * tests can see consecutive requests land on different instances.
 */
final class Balancer implements AutoCloseable {

    static final String UPSTREAM_HEADER = "X-Upstream";

    final int port;
    private final Path folder;
    private final Process process;

    private Balancer(int port, Path folder, Process process) {
        this.port = port;
        this.folder = folder;
        this.process = process;
    }

    static Optional<Path> executable() {
        for (String candidate : List.of("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Optional.of(Path.of(candidate));
            }
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path nginx = Path.of(dir, "nginx");
                if (Files.isExecutable(nginx)) {
                    return Optional.of(nginx);
                }
            }
        }
        return Optional.empty();
    }

    static Balancer start(Path nginx, Path folder, int port, List<Instance> instances) throws Exception {
        Files.createDirectories(folder);
        // Workers of an nginx started as root run as an unprivileged user and write their temp files here.
        folder.toFile().setWritable(true, false);
        folder.toFile().setExecutable(true, false);
        String servers = instances.stream().map(i -> "        server " + i.address() + ";")
                .collect(Collectors.joining("\n"));
        String conf = """
                daemon off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                events { worker_connections 512; }
                http {
                    access_log %1$s/access.log;
                    client_body_temp_path %1$s/client_body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    upstream portal {
                %2$s
                    }
                    server {
                        listen 127.0.0.1:%3$d;
                        location / {
                            proxy_pass http://portal;
                            proxy_set_header Host $host;
                            proxy_set_header X-Forwarded-For $remote_addr;
                            proxy_set_header X-Forwarded-Proto $scheme;
                            proxy_set_header X-Forwarded-Port $server_port;
                            add_header %4$s $upstream_addr always;
                        }
                    }
                }
                """.formatted(folder, servers, port, UPSTREAM_HEADER);
        Path confFile = folder.resolve("nginx.conf");
        Files.writeString(confFile, conf, StandardCharsets.UTF_8);
        Process process = new ProcessBuilder(nginx.toString(), "-p", folder.toString(), "-c", confFile.toString(),
                "-e", folder.resolve("error.log").toString()).redirectErrorStream(true)
                .redirectOutput(folder.resolve("nginx.out").toFile()).start();
        Balancer balancer = new Balancer(port, folder, process);
        balancer.awaitListening(Duration.ofSeconds(20));
        return balancer;
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private void awaitListening(Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("nginx exited: " + read("nginx.out") + read("error.log"));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("nginx is not listening on " + port + ": " + read("error.log"));
    }

    private String read(String file) {
        try {
            return Files.readString(folder.resolve(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
