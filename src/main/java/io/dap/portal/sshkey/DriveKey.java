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

import io.dap.portal.account.Drive;
import io.dap.portal.user.User;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A copy of a public key as a drive received it when provisioned (R11). It is a copy on purpose:
 * keys added or deleted later in Settings leave drives that already exist alone.
 */
@Entity
@Table(name = "drive_key")
public class DriveKey extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "drive_id")
    public Drive drive;

    /** Whose key it is. */
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "user_id")
    public User user;

    @Column(nullable = false, length = 100)
    public String label;

    @Column(name = "key_type", nullable = false, length = 32)
    public String keyType;

    @Column(name = "public_key", nullable = false, length = 16384)
    public String publicKey;

    @Column(nullable = false, length = 64)
    public String fingerprint;

    @Column(name = "installed_at", nullable = false)
    public Instant installedAt;

    /** Set when the key was taken off the drive (after a revocation, R11). */
    @Column(name = "removed_at")
    public Instant removedAt;

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "removed_by")
    public User removedBy;

    /**
     * The account whose drive this is, kept on the row so the account's sharing pages find the keys
     * still installed in it without walking every infrastructure and drive.
     */
    @Column(name = "account_id")
    public Long accountId;

    // Helpers

    public static List<DriveKey> ofDrive(Long driveId) {
        return list("select k from DriveKey k join fetch k.user left join fetch k.removedBy where k.drive.id = ?1"
                + " order by k.installedAt, k.id", driveId);
    }

    public static DriveKey snapshot(Drive drive, SshKey key, Instant now) {
        DriveKey copy = new DriveKey();
        copy.drive = drive;
        copy.accountId = drive.infrastructure.account.id;
        copy.user = key.user;
        copy.label = key.label;
        copy.keyType = key.keyType;
        copy.publicKey = key.publicKey;
        copy.fingerprint = key.fingerprint;
        copy.installedAt = now;
        return copy;
    }
}
