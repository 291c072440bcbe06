package io.dap.portal.sshkey;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.EllipticCurve;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * A validated OpenSSH public key, as pasted by a user ("type base64 [comment]").
 * Immutable; instances only exist for keys that passed every check in {@link #parse}.
 */
public final class SshPublicKey {

    /** Upper bound on the pasted text; an RSA-16384 line is about 2.8 KiB, so this leaves room for long comments. */
    public static final int MAX_INPUT_CHARS = 16 * 1024;

    static final int MIN_RSA_BITS = 2048;
    // Same ceiling as OpenSSH (SSHBUF_MAX_BIGNUM); ssh-keygen itself refuses larger moduli.
    static final int MAX_RSA_BITS = 16384;

    private static final String SUPPORTED =
            "ssh-ed25519, ecdsa-sha2-nistp256, ecdsa-sha2-nistp384, ecdsa-sha2-nistp521 or ssh-rsa";

    // Only echo user-supplied type names that look like a key type, so messages never carry odd markup or junk.
    private static final Pattern ECHOABLE = Pattern.compile("[A-Za-z0-9@._+-]{1,64}");
    private static final Pattern FIELD_SEPARATOR = Pattern.compile("[ \t]+");

    private enum Kind {
        ED25519("ssh-ed25519", "ED25519", null, null),
        ECDSA_P256("ecdsa-sha2-nistp256", "ECDSA", "nistp256", "secp256r1"),
        ECDSA_P384("ecdsa-sha2-nistp384", "ECDSA", "nistp384", "secp384r1"),
        ECDSA_P521("ecdsa-sha2-nistp521", "ECDSA", "nistp521", "secp521r1"),
        RSA("ssh-rsa", "RSA", null, null);

        final String sshName;
        final String label;
        final String curve;
        final String jcaCurve;

        Kind(String sshName, String label, String curve, String jcaCurve) {
            this.sshName = sshName;
            this.label = label;
            this.curve = curve;
            this.jcaCurve = jcaCurve;
        }

        static Kind of(String sshName) {
            for (Kind k : values()) {
                if (k.sshName.equals(sshName)) {
                    return k;
                }
            }
            return null;
        }
    }

    private final Kind kind;
    private final byte[] blob;
    private final String comment;
    private final int bits;

    private SshPublicKey(Kind kind, byte[] blob, String comment, int bits) {
        this.kind = kind;
        this.blob = blob;
        this.comment = comment;
        this.bits = bits;
    }

    /**
     * Parses and fully validates one OpenSSH public key line.
     *
     * @throws SshKeyException with a user-facing message if the key is refused
     */
    public static SshPublicKey parse(String text) throws SshKeyException {
        if (text == null || text.isBlank()) {
            throw new SshKeyException("The SSH key is empty; paste the contents of your .pub file.");
        }
        // Checked before any other work so a huge paste costs nothing more than this comparison.
        if (text.length() > MAX_INPUT_CHARS) {
            throw new SshKeyException("The SSH key is too long; paste a single public key line of at most 16 KiB.");
        }
        String line = text.strip();

        // Private keys are multi-line too, so this must come before the line check to give the useful message.
        if (line.contains("PRIVATE KEY") || line.startsWith("-----BEGIN") || line.startsWith("PuTTY-User-Key-File")) {
            throw new SshKeyException("This looks like a private key. Paste the public key (the .pub file) instead.");
        }
        if (line.startsWith("---- BEGIN SSH2 PUBLIC KEY")) {
            throw new SshKeyException("This key is in SSH2 (PuTTY) format; convert it to OpenSSH format with"
                    + " \"ssh-keygen -i -f key.pub\" and paste the single line it prints.");
        }
        if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
            throw new SshKeyException("Paste only one SSH key; the input contains more than one line.");
        }

        String[] fields = FIELD_SEPARATOR.split(line, 3);
        String declaredType = fields[0];
        Kind kind = Kind.of(declaredType);
        if (kind == null) {
            throw new SshKeyException(unsupportedTypeMessage(declaredType));
        }
        if (fields.length < 2) {
            throw new SshKeyException("The key data is missing after \"" + declaredType + "\"; paste the whole line.");
        }
        String comment = fields.length == 3 ? fields[2].strip() : "";

        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(fields[1]);
        } catch (IllegalArgumentException e) {
            throw new SshKeyException("The key data is not valid base64; make sure the whole key was copied.");
        }

        int bits = validateBlob(kind, blob);
        return new SshPublicKey(kind, blob, comment, bits);
    }

    private static String unsupportedTypeMessage(String declaredType) {
        if (declaredType.startsWith("AAAA")) {
            // Only the base64 part was pasted: the leading type name is missing.
            return "The key type is missing; paste the whole line starting with " + SUPPORTED + ".";
        }
        if (ECHOABLE.matcher(declaredType).matches()) {
            return "Unsupported key type \"" + declaredType + "\"; use " + SUPPORTED + ".";
        }
        return "This does not look like an OpenSSH public key; it should start with " + SUPPORTED + ".";
    }

    /** Walks the SSH wire encoding of the blob and returns the key size in bits. */
    private static int validateBlob(Kind kind, byte[] blob) throws SshKeyException {
        WireReader in = new WireReader(blob);
        byte[] innerType = in.readString();
        if (!Arrays.equals(innerType, kind.sshName.getBytes(StandardCharsets.US_ASCII))) {
            String inner = new String(innerType, StandardCharsets.US_ASCII);
            if (ECHOABLE.matcher(inner).matches()) {
                throw new SshKeyException("The key data is for a \"" + inner + "\" key, but the line says \""
                        + kind.sshName + "\".");
            }
            throw new SshKeyException("The key data does not match the key type \"" + kind.sshName + "\".");
        }

        int bits;
        switch (kind) {
            case ED25519:
                if (in.readString().length != 32) {
                    throw new SshKeyException("The ssh-ed25519 key data is malformed; the key must be 32 bytes.");
                }
                bits = 256;
                break;
            case ECDSA_P256:
            case ECDSA_P384:
            case ECDSA_P521:
                bits = validateEcdsa(kind, in);
                break;
            case RSA:
                bits = validateRsa(in);
                break;
            default:
                throw new IllegalStateException("unhandled key kind " + kind);
        }
        if (in.remaining() != 0) {
            throw new SshKeyException("The key data is malformed; it has unexpected extra bytes at the end.");
        }
        return bits;
    }

    private static int validateEcdsa(Kind kind, WireReader in) throws SshKeyException {
        byte[] curve = in.readString();
        if (!Arrays.equals(curve, kind.curve.getBytes(StandardCharsets.US_ASCII))) {
            throw new SshKeyException("The key data names a different curve than \"" + kind.sshName + "\".");
        }
        byte[] point = in.readString();
        ECParameterSpec params = curveParams(kind.jcaCurve);
        EllipticCurve ec = params.getCurve();
        int fieldBits = ec.getField().getFieldSize();
        int coordLen = (fieldBits + 7) / 8;
        if (point.length != 1 + 2 * coordLen || point[0] != 0x04) {
            throw new SshKeyException("The ECDSA key data is malformed; it must hold an uncompressed curve point.");
        }
        // A corrupted paste can still decode as base64 with the right lengths; the curve equation catches it.
        BigInteger p = ((ECFieldFp) ec.getField()).getP();
        BigInteger x = new BigInteger(1, Arrays.copyOfRange(point, 1, 1 + coordLen));
        BigInteger y = new BigInteger(1, Arrays.copyOfRange(point, 1 + coordLen, point.length));
        BigInteger rhs = x.pow(3).add(ec.getA().multiply(x)).add(ec.getB()).mod(p);
        if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0 || !y.multiply(y).mod(p).equals(rhs)) {
            throw new SshKeyException("The ECDSA key data is malformed; the point is not on the curve.");
        }
        return fieldBits;
    }

    private static int validateRsa(WireReader in) throws SshKeyException {
        BigInteger e = in.readMpint();
        BigInteger n = in.readMpint();
        // Real RSA exponents are odd and at least 3; anything else is a damaged or bogus key.
        if (e.compareTo(BigInteger.valueOf(3)) < 0 || !e.testBit(0) || n.signum() <= 0) {
            throw new SshKeyException("The ssh-rsa key data is malformed; the exponent or modulus is invalid.");
        }
        // bitLength() of a non-negative BigInteger ignores the 0x00 sign byte of the mpint encoding.
        int bits = n.bitLength();
        if (bits < MIN_RSA_BITS) {
            throw new SshKeyException("RSA keys must be at least " + MIN_RSA_BITS + " bits; this one has " + bits + ".");
        }
        if (bits > MAX_RSA_BITS) {
            throw new SshKeyException("RSA keys larger than " + MAX_RSA_BITS + " bits are not supported; this one has "
                    + bits + ".");
        }
        return bits;
    }

    private static ECParameterSpec curveParams(String jcaCurve) {
        try {
            AlgorithmParameters ap = AlgorithmParameters.getInstance("EC");
            ap.init(new ECGenParameterSpec(jcaCurve));
            return ap.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            // The NIST curves are mandatory in every JDK; missing ones mean a broken runtime, not bad input.
            throw new IllegalStateException("EC curve " + jcaCurve + " not available", e);
        }
    }

    /** Reader for the uint32-length-prefixed fields of RFC 4251; every overrun is reported as a user error. */
    private static final class WireReader {
        private final byte[] data;
        private int pos;

        WireReader(byte[] data) {
            this.data = data;
        }

        int remaining() {
            return data.length - pos;
        }

        byte[] readString() throws SshKeyException {
            if (remaining() < 4) {
                throw truncated();
            }
            // Read as unsigned: a length with the high bit set must fail as "too long", not wrap negative.
            long len = ((data[pos] & 0xFFL) << 24) | ((data[pos + 1] & 0xFFL) << 16)
                    | ((data[pos + 2] & 0xFFL) << 8) | (data[pos + 3] & 0xFFL);
            pos += 4;
            if (len > remaining()) {
                throw truncated();
            }
            byte[] out = Arrays.copyOfRange(data, pos, pos + (int) len);
            pos += (int) len;
            return out;
        }

        BigInteger readMpint() throws SshKeyException {
            byte[] raw = readString();
            // Zero-length mpint means 0, which is never valid for RSA parameters.
            return raw.length == 0 ? BigInteger.ZERO : new BigInteger(raw);
        }

        private static SshKeyException truncated() {
            return new SshKeyException("The key data is truncated or malformed; make sure the whole key was copied.");
        }
    }

    /** The SSH key type name, e.g. {@code ssh-ed25519}. */
    public String type() {
        return kind.sshName;
    }

    /** The decoded key blob; a fresh copy so callers cannot alter this instance. */
    public byte[] blob() {
        return blob.clone();
    }

    /** The comment after the key data, or an empty string. */
    public String comment() {
        return comment;
    }

    /** Key size in bits as {@code ssh-keygen -l} reports it. */
    public int bits() {
        return bits;
    }

    /** Fingerprint exactly as {@code ssh-keygen -l} prints it, e.g. {@code SHA256:pj9u...}. */
    public String fingerprintSha256() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 not available", e);
        }
    }

    /** The label {@code ssh-keygen -l} prints in parentheses: ED25519, ECDSA or RSA. */
    public String keyTypeLabel() {
        return kind.label;
    }

    /**
     * "type base64" without the comment. The base64 is re-encoded from the blob, so differently
     * padded pastes of the same key compare equal for duplicate detection.
     */
    public String canonical() {
        return kind.sshName + " " + Base64.getEncoder().encodeToString(blob);
    }

    // Identity is the key material; the comment is just a label the user can change freely.
    @Override
    public boolean equals(Object o) {
        return o instanceof SshPublicKey other && kind == other.kind && Arrays.equals(blob, other.blob);
    }

    @Override
    public int hashCode() {
        return 31 * kind.hashCode() + Arrays.hashCode(blob);
    }

    @Override
    public String toString() {
        return bits + " " + fingerprintSha256() + " (" + kind.label + ")";
    }
}
