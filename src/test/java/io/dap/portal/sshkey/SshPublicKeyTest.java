package io.dap.portal.sshkey;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fixtures under src/test/resources/sshkeys were generated once with OpenSSH 9.2 ssh-keygen; each
 * *.pub.fingerprint holds the line "ssh-keygen -l -f" printed, so the expectations come from the real tool
 * without running it at test time.
 */
class SshPublicKeyTest {

    // "256 SHA256:xxx comment words (ED25519)"; ssh-keygen prints "no comment" when the comment is empty.
    private static final Pattern KEYGEN_LINE = Pattern.compile("^(\\d+) (SHA256:\\S+) (.*) \\((\\w+)\\)$");

    private static final String PRIVATE_KEY_MSG =
            "This looks like a private key. Paste the public key (the .pub file) instead.";

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "ecdsa256", "ecdsa384", "ecdsa521", "rsa2048", "rsa4096"})
    void acceptedKeysMatchSshKeygen(String name) throws Exception {
        String pub = resource(name + ".pub");
        Matcher m = KEYGEN_LINE.matcher(resource(name + ".pub.fingerprint").strip());
        assertTrue(m.matches(), "unexpected fixture format for " + name);

        SshPublicKey key = SshPublicKey.parse(pub);

        assertEquals(Integer.parseInt(m.group(1)), key.bits());
        assertEquals(m.group(2), key.fingerprintSha256());
        assertEquals(m.group(4), key.keyTypeLabel());
        String expectedComment = m.group(3).equals("no comment") ? "" : m.group(3);
        assertEquals(expectedComment, key.comment());

        String[] fields = pub.strip().split(" ");
        assertEquals(fields[0], key.type());
        assertEquals(fields[0] + " " + fields[1], key.canonical());
        assertArrayEquals(Base64.getDecoder().decode(fields[1]), key.blob());
    }

    @Test
    void rsaModulusWithSignByteCountsRealBits() throws Exception {
        // A 2048-bit modulus has its top bit set, so the mpint is 257 bytes with a leading 0x00.
        SshPublicKey key = SshPublicKey.parse(resource("rsa2048.pub"));
        byte[] blob = key.blob();
        int modulusLenOffset = 4 + 7 + 4 + 3; // "ssh-rsa", then e = 65537 (3 bytes)
        assertEquals(257, readUint32(blob, modulusLenOffset));
        assertEquals(0, blob[modulusLenOffset + 4]);
        assertEquals(2048, key.bits());
    }

    @Test
    void emptyCommentAndSurroundingWhitespaceAndTabsAreAccepted() throws Exception {
        String[] f = resource("ed25519.pub").strip().split(" ");
        SshPublicKey plain = SshPublicKey.parse(f[0] + " " + f[1]);
        assertEquals("", plain.comment());

        SshPublicKey messy = SshPublicKey.parse("\r\n  " + f[0] + "\t" + f[1] + "  my laptop key \r\n");
        assertEquals("my laptop key", messy.comment());
        assertEquals(plain.canonical(), messy.canonical());
        assertEquals(plain, messy);
        assertEquals(plain.hashCode(), messy.hashCode());
    }

    @Test
    void canonicalIgnoresCommentAndPadding() throws Exception {
        String[] f = resource("ed25519.pub").strip().split(" ");
        SshPublicKey a = SshPublicKey.parse(f[0] + " " + f[1] + " one");
        SshPublicKey b = SshPublicKey.parse(f[0] + " " + f[1].replace("=", "") + " two");
        assertEquals(a.canonical(), b.canonical());
        assertEquals(f[0] + " " + f[1], b.canonical());
        assertNotEquals(a.canonical(), SshPublicKey.parse(resource("ecdsa256.pub")).canonical());
    }

    @Test
    void blobIsDefensiveCopy() throws Exception {
        SshPublicKey key = SshPublicKey.parse(resource("ed25519.pub"));
        String before = key.fingerprintSha256();
        byte[] blob = key.blob();
        Arrays.fill(blob, (byte) 0);
        assertEquals(before, key.fingerprintSha256());
    }

    // ---- refusals ----

    @Test
    void refusesOpenSshPrivateKey() {
        assertEquals(PRIVATE_KEY_MSG, refused(resource("ed25519.private")));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----",
            "-----BEGIN PRIVATE KEY-----",
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nabc\n",
            "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\n"})
    void refusesOtherPrivateKeyFormats(String text) {
        assertEquals(PRIVATE_KEY_MSG, refused(text));
    }

    @Test
    void refusesSsh2Format() {
        String msg = refused(resource("ed25519.ssh2"));
        assertTrue(msg.contains("OpenSSH format"), msg);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\n\t\r\n"})
    void refusesEmpty(String text) {
        assertEquals("The SSH key is empty; paste the contents of your .pub file.", refused(text));
    }

    @Test
    void refusesNull() {
        assertEquals("The SSH key is empty; paste the contents of your .pub file.", refused(null));
    }

    @Test
    void refusesTwoKeysOnTwoLines() {
        String two = resource("ed25519.pub").strip() + "\n" + resource("rsa2048.pub").strip() + "\n";
        assertEquals("Paste only one SSH key; the input contains more than one line.", refused(two));
        assertEquals("Paste only one SSH key; the input contains more than one line.",
                refused(two.replace('\n', '\r')));
    }

    @Test
    void refuses1024BitRsa() {
        assertEquals("RSA keys must be at least 2048 bits; this one has 1024.", refused(resource("rsa1024.pub")));
    }

    @Test
    void refusesUnknownType() {
        String base64 = resource("ed25519.pub").split(" ")[1];
        assertEquals("Unsupported key type \"ssh-dss\"; use ssh-ed25519, ecdsa-sha2-nistp256, ecdsa-sha2-nistp384,"
                + " ecdsa-sha2-nistp521 or ssh-rsa.", refused("ssh-dss " + base64));
        assertTrue(refused("sk-ssh-ed25519@openssh.com " + base64).startsWith("Unsupported key type"));
        assertTrue(refused("hello world").startsWith("Unsupported key type \"hello\""));
        // Markup-like input must not be echoed back.
        String odd = refused("<script>alert(1)</script> AAAA");
        assertTrue(odd.startsWith("This does not look like an OpenSSH public key"), odd);
    }

    @Test
    void refusesBase64WithoutType() {
        String base64 = resource("ed25519.pub").split(" ")[1];
        assertTrue(refused(base64).startsWith("The key type is missing"));
    }

    @Test
    void refusesTypeWithoutData() {
        assertTrue(refused("ssh-ed25519").startsWith("The key data is missing"));
    }

    @Test
    void refusesInvalidBase64() {
        assertEquals("The key data is not valid base64; make sure the whole key was copied.",
                refused("ssh-ed25519 AAAA!!!!BBBB"));
    }

    @Test
    void refusesTruncatedBase64Text() {
        // Cutting the text can produce either a base64 error or a short blob, depending on where the cut falls.
        String[] f = resource("rsa2048.pub").strip().split(" ");
        for (int cut = 1; cut <= 8; cut++) {
            String text = f[0] + " " + f[1].substring(0, f[1].length() - 20 - cut);
            assertThrows(SshKeyException.class, () -> SshPublicKey.parse(text), "cut " + cut);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "ecdsa256", "ecdsa521", "rsa2048"})
    void refusesTruncatedBlob(String name) {
        String[] f = resource(name + ".pub").strip().split(" ");
        byte[] blob = Base64.getDecoder().decode(f[1]);
        for (int len : new int[] {1, 3, 4, 10, blob.length / 2, blob.length - 1}) {
            String text = f[0] + " " + b64(Arrays.copyOf(blob, len));
            String msg = refused(text);
            assertEquals("The key data is truncated or malformed; make sure the whole key was copied.", msg,
                    name + " cut to " + len);
        }
    }

    @Test
    void refusesCorruptedLengthPrefix() {
        String[] f = resource("ed25519.pub").strip().split(" ");
        byte[] blob = Base64.getDecoder().decode(f[1]);

        byte[] huge = blob.clone();
        huge[0] = (byte) 0xFF; // type length now > 4 GiB and negative as a signed int
        assertTrue(refused(f[0] + " " + b64(huge)).startsWith("The key data is truncated"));

        byte[] keyLen = blob.clone();
        keyLen[4 + 11 + 3] = 31; // key length 31 instead of 32 leaves one trailing byte
        assertThrows(SshKeyException.class, () -> SshPublicKey.parse(f[0] + " " + b64(keyLen)));

        byte[] longer = blob.clone();
        longer[4 + 11 + 3] = 33;
        assertTrue(refused(f[0] + " " + b64(longer)).startsWith("The key data is truncated"));
    }

    @Test
    void refusesTypeMismatch() {
        String rsaBase64 = resource("rsa2048.pub").split(" ")[1];
        assertEquals("The key data is for a \"ssh-rsa\" key, but the line says \"ssh-ed25519\".",
                refused("ssh-ed25519 " + rsaBase64));
        String p256 = resource("ecdsa256.pub").split(" ")[1];
        assertTrue(refused("ecdsa-sha2-nistp384 " + p256).startsWith("The key data is for a \"ecdsa-sha2-nistp256\""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "ecdsa384", "rsa4096"})
    void refusesTrailingBytes(String name) {
        String[] f = resource(name + ".pub").strip().split(" ");
        byte[] blob = Base64.getDecoder().decode(f[1]);
        byte[] extended = Arrays.copyOf(blob, blob.length + 5);
        extended[blob.length + 4] = 42;
        assertEquals("The key data is malformed; it has unexpected extra bytes at the end.",
                refused(f[0] + " " + b64(extended)));
    }

    @Test
    void refusesWrongEd25519Length() {
        byte[] blob = wire(str("ssh-ed25519"), str(new byte[31]));
        assertEquals("The ssh-ed25519 key data is malformed; the key must be 32 bytes.",
                refused("ssh-ed25519 " + b64(blob)));
    }

    @Test
    void refusesEcdsaCurveMismatch() {
        byte[] point = ecdsaPoint("ecdsa384");
        byte[] blob = wire(str("ecdsa-sha2-nistp384"), str("nistp256"), str(point));
        assertTrue(refused("ecdsa-sha2-nistp384 " + b64(blob)).contains("different curve"));
    }

    @Test
    void refusesCompressedOrBadEcdsaPoint() {
        byte[] point = ecdsaPoint("ecdsa256");

        byte[] compressed = Arrays.copyOf(point, 33);
        compressed[0] = 0x02;
        assertTrue(refused(ecdsa256(compressed)).contains("uncompressed curve point"));

        byte[] wrongPrefix = point.clone();
        wrongPrefix[0] = 0x03;
        assertTrue(refused(ecdsa256(wrongPrefix)).contains("uncompressed curve point"));

        byte[] tooLong = Arrays.copyOf(point, point.length + 1);
        assertTrue(refused(ecdsa256(tooLong)).contains("uncompressed curve point"));

        byte[] offCurve = point.clone();
        offCurve[offCurve.length - 1] ^= 1;
        assertTrue(refused(ecdsa256(offCurve)).contains("not on the curve"));

        assertNotNull(assertDoesNotThrow(ecdsa256(point)));
    }

    @Test
    void refusesBadRsaNumbers() {
        byte[] modulus = new byte[257];
        modulus[1] = (byte) 0x80;
        modulus[256] = 1;
        // Negative modulus (high bit set without a 0x00 sign byte).
        byte[] negative = Arrays.copyOfRange(modulus, 1, 257);
        assertTrue(refused(rsa(new byte[] {1, 0, 1}, negative)).contains("exponent or modulus is invalid"));
        // Even exponent.
        assertTrue(refused(rsa(new byte[] {1, 0, 0}, modulus)).contains("exponent or modulus is invalid"));
        // Empty exponent (zero).
        assertTrue(refused(rsa(new byte[0], modulus)).contains("exponent or modulus is invalid"));
        // Same modulus, correctly signed, is accepted and counted as 2048 bits.
        assertEquals(2048, assertDoesNotThrow(rsa(new byte[] {1, 0, 1}, modulus)).bits());
        // Extra leading zero bytes do not inflate the bit count: 2047 bits must be refused.
        byte[] small = modulus.clone();
        small[1] = 0x40;
        assertEquals("RSA keys must be at least 2048 bits; this one has 2047.",
                refused(rsa(new byte[] {1, 0, 1}, small)));
    }

    @Test
    void refusesOversizedInput() {
        String line = resource("ed25519.pub").strip() + " " + "x".repeat(SshPublicKey.MAX_INPUT_CHARS);
        assertTrue(refused(line).startsWith("The SSH key is too long"));
    }

    @Test
    void refusesOnlyWithUserFacingSentences() {
        String[] inputs = {"", resource("rsa1024.pub"), "ssh-ed25519 AAAA", "ssh-ed25519 !!", "foo bar"};
        for (String in : inputs) {
            String msg = refused(in);
            assertTrue(msg.endsWith("."), msg);
            assertTrue(Character.isUpperCase(msg.charAt(0)), msg);
        }
    }

    // ---- helpers ----

    private static String refused(String text) {
        return assertThrows(SshKeyException.class, () -> SshPublicKey.parse(text)).getMessage();
    }

    private static SshPublicKey assertDoesNotThrow(String text) {
        try {
            return SshPublicKey.parse(text);
        } catch (SshKeyException e) {
            throw new AssertionError("refused: " + e.getMessage(), e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = SshPublicKeyTest.class.getResourceAsStream("/sshkeys/" + name)) {
            assertNotNull(in, "missing fixture " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] ecdsaPoint(String fixture) {
        byte[] blob = Base64.getDecoder().decode(resource(fixture + ".pub").split(" ")[1]);
        int off = 0;
        off += 4 + readUint32(blob, off); // type
        off += 4 + readUint32(blob, off); // curve
        int len = readUint32(blob, off);
        return Arrays.copyOfRange(blob, off + 4, off + 4 + len);
    }

    private static String ecdsa256(byte[] point) {
        return "ecdsa-sha2-nistp256 " + b64(wire(str("ecdsa-sha2-nistp256"), str("nistp256"), str(point)));
    }

    private static String rsa(byte[] e, byte[] n) {
        return "ssh-rsa " + b64(wire(str("ssh-rsa"), str(e), str(n)));
    }

    private static int readUint32(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    private static byte[] str(String s) {
        return str(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] str(byte[] data) {
        byte[] out = new byte[4 + data.length];
        out[0] = (byte) (data.length >>> 24);
        out[1] = (byte) (data.length >>> 16);
        out[2] = (byte) (data.length >>> 8);
        out[3] = (byte) data.length;
        System.arraycopy(data, 0, out, 4, data.length);
        return out;
    }

    private static byte[] wire(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static String b64(byte[] data) {
        return Base64.getEncoder().encodeToString(data);
    }
}
