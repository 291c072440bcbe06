package io.dap.portal.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An SMTP server for fault tests that can misbehave after accepting a message: answer 451, drop
 * the connection, or never answer. It keeps every message it received, and counts the ones it
 * acknowledged with 250 (the ones the sender may consider delivered).
 */
public final class FakeSmtp implements AutoCloseable {

    public enum Mode {
        /** 250 after the message: delivered. */
        ACCEPT,
        /** 451 after the message: a temporary failure, the sender must try again. */
        FAIL_AFTER_DATA,
        /** The connection closes after the message, with no answer. */
        DROP_AFTER_DATA,
        /** No answer after the message, until the mode changes. */
        HANG_AFTER_DATA
    }

    /** One message as it arrived (headers and body, dot-unstuffed), and whether it was acknowledged. */
    public record Message(String data, boolean acknowledged) {
    }

    private final ServerSocket server;
    private final List<Message> messages = new CopyOnWriteArrayList<>();
    private final List<Socket> clients = new CopyOnWriteArrayList<>();
    private volatile Mode mode = Mode.ACCEPT;

    public FakeSmtp() {
        try {
            server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::acceptLoop, "fake-smtp");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public void mode(Mode mode) {
        this.mode = mode;
    }

    public List<Message> messages() {
        return List.copyOf(messages);
    }

    /** Messages to one recipient that the server acknowledged. */
    public long acknowledgedTo(String recipient) {
        return messages.stream().filter(m -> m.acknowledged() && m.data().contains(recipient)).count();
    }

    public void clear() {
        messages.clear();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                clients.add(client);
                Thread session = new Thread(() -> converse(client), "fake-smtp-session");
                session.setDaemon(true);
                session.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void converse(Socket client) {
        try (client) {
            client.setSoTimeout(60_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(),
                    StandardCharsets.UTF_8));
            OutputStream out = client.getOutputStream();
            reply(out, "220 fake.smtp ready");
            String line;
            while ((line = in.readLine()) != null) {
                String command = line.length() >= 4 ? line.substring(0, 4).toUpperCase(java.util.Locale.ROOT) : line;
                switch (command) {
                    case "EHLO", "HELO" -> reply(out, "250 fake.smtp");
                    case "MAIL", "RCPT", "RSET", "NOOP" -> reply(out, "250 OK");
                    case "QUIT" -> {
                        reply(out, "221 bye");
                        return;
                    }
                    case "DATA" -> {
                        reply(out, "354 end with <CRLF>.<CRLF>");
                        if (!receive(in, out)) {
                            return;
                        }
                    }
                    default -> reply(out, "502 not implemented");
                }
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            clients.remove(client);
        }
    }

    /** Reads one message and answers as the mode says; false when the connection must end. */
    private boolean receive(BufferedReader in, OutputStream out) throws IOException {
        StringBuilder data = new StringBuilder();
        String line;
        while ((line = in.readLine()) != null && !line.equals(".")) {
            data.append(line.startsWith("..") ? line.substring(1) : line).append("\r\n");
        }
        Mode now = mode;
        messages.add(new Message(data.toString(), now == Mode.ACCEPT));
        switch (now) {
            case ACCEPT -> reply(out, "250 OK queued");
            case FAIL_AFTER_DATA -> reply(out, "451 4.3.0 try again later");
            case DROP_AFTER_DATA -> {
                return false;
            }
            case HANG_AFTER_DATA -> {
                while (mode == Mode.HANG_AFTER_DATA) {
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }
                return false;
            }
        }
        return true;
    }

    private static void reply(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() {
        try {
            server.close();
            for (Socket client : clients) {
                client.close();
            }
        } catch (IOException e) {
            // closing anyway
        }
    }
}
