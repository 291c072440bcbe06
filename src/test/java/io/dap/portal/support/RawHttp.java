package io.dap.portal.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 written by hand, for requests no client library would send: dot segments and broken
 * %-escapes left as they are, malformed headers, raw bytes in a body, a chosen source address.
 */
public final class RawHttp {

    public record Reply(int status, Map<String, String> headers, String body) {

        /** A header by case-insensitive name, or null. */
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** Our security headers, as every response must carry them. */
        public boolean hasSecurityHeaders() {
            String csp = header("Content-Security-Policy");
            return csp != null && csp.contains("frame-ancestors 'none'") && "nosniff".equals(
                    header("X-Content-Type-Options")) && "no-referrer".equals(header("Referrer-Policy"));
        }

        @Override
        public String toString() {
            return status + " " + headers + "\n" + (body.length() > 400 ? body.substring(0, 400) : body);
        }
    }

    private RawHttp() {
    }

    /** The port the application under test listens on (Quarkus sets it on REST Assured). */
    public static int port() {
        return io.restassured.RestAssured.port;
    }

    /** Sends {@code method target} with the given header lines (each "Name: value") and body bytes. */
    public static Reply send(String method, String target, String headers, byte[] body) {
        return send(null, method, target, headers, body);
    }

    public static Reply send(String method, String target, String headers, String body) {
        return send(null, method, target, headers, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    /** As {@link #send(String, String, String, byte[])}, from a chosen local address (e.g. 127.0.0.2). */
    public static Reply send(String fromAddress, String method, String target, String headers, byte[] body) {
        try (Socket socket = fromAddress == null ? new Socket("127.0.0.1", port())
                : new Socket(InetAddress.getByName("127.0.0.1"), port(), InetAddress.getByName(fromAddress), 0)) {
            socket.setSoTimeout(20_000);
            StringBuilder head = new StringBuilder();
            head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
            head.append("Host: localhost\r\nConnection: close\r\n");
            if (headers != null && !headers.isEmpty()) {
                for (String line : headers.split("\n")) {
                    head.append(line).append("\r\n");
                }
            }
            if (body != null) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            try {
                socket.getOutputStream().write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                if (body != null) {
                    socket.getOutputStream().write(body);
                }
                socket.getOutputStream().flush();
            } catch (java.net.SocketException e) {
                // the server answered (413, 414 …) and closed before the whole request was written
            }
            return read(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Reply read(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            in.transferTo(bytes);
        } catch (SocketTimeoutException | java.net.SocketException e) {
            // the server may close or reset after answering; what arrived is the answer
        }
        byte[] all = bytes.toByteArray();
        String latin = new String(all, StandardCharsets.ISO_8859_1);
        int end = latin.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new AssertionError("no HTTP answer: " + latin);
        }
        String[] lines = latin.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.merge(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).strip(), (a, b) -> a + ", " + b);
        }
        byte[] body = java.util.Arrays.copyOfRange(all, end + 4, all.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        return new Reply(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] dechunk(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String latin = new String(body, StandardCharsets.ISO_8859_1);
        int at = 0;
        while (at < body.length) {
            int lineEnd = latin.indexOf("\r\n", at);
            if (lineEnd < 0) {
                break;
            }
            int size = Integer.parseInt(latin.substring(at, lineEnd).split(";")[0].strip(), 16);
            if (size == 0) {
                break;
            }
            out.write(body, lineEnd + 2, Math.min(size, body.length - lineEnd - 2));
            at = lineEnd + 2 + size + 2;
        }
        return out.toByteArray();
    }
}
