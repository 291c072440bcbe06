package io.dap.portal.sshkey;

import java.time.Instant;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import io.dap.portal.user.User;
import io.dap.portal.web.InList;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A user's OpenSSH public key, as registered in Settings › SSH keys. */
@Entity
@Table(name = "ssh_key")
public class SshKey extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "user_id")
    public User user;

    @Column(nullable = false, length = 100)
    public String label;

    @Column(name = "key_type", nullable = false, length = 32)
    public String keyType;

    @Column(nullable = false)
    public int bits;

    /** "type base64", without the comment. */
    @Column(name = "public_key", nullable = false, length = 16384)
    public String publicKey;

    /** SHA256:… exactly as ssh-keygen -l prints it. */
    @Column(nullable = false, length = 64)
    public String fingerprint;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    // Helpers

    public static List<SshKey> ofUser(Long userId) {
        return list("user.id = ?1 order by createdAt, id", userId);
    }

    /** Every key of the given users, in one statement (the snapshot taken at provisioning). */
    public static List<SshKey> ofUsers(List<Long> userIds) {
        if (userIds.isEmpty()) {
            return List.of();
        }
        InList users = InList.of("user", userIds);
        return list("select k from SshKey k join fetch k.user where k.user.id in " + users.sql()
                + " order by k.user.id, k.id", users.parameters());
    }
}
