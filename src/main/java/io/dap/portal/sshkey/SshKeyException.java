package io.dap.portal.sshkey;

/**
 * Thrown when a pasted SSH public key is refused. The message is written for the
 * end user and can be shown next to the form field as is (after HTML escaping).
 */
// Checked on purpose: every caller must decide how to show the message instead of
// letting a bad paste bubble up as a server error.
public class SshKeyException extends Exception {

    private static final long serialVersionUID = 1L;

    public SshKeyException(String userMessage) {
        super(userMessage);
    }
}
