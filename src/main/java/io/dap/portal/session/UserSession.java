package io.dap.portal.session;

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

import org.hibernate.annotations.DynamicUpdate;

import io.dap.portal.user.User;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A signed-in browser. The cookie holds a random id; the row holds only its SHA-256. Updates write
 * only the columns that changed, so touching last_seen_at from one tab never writes back another
 * tab's stale impersonation_id.
 */
@Entity
@DynamicUpdate
@Table(name = "user_session")
public class UserSession extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "user_id")
    public User user;

    @Column(name = "token_hash", nullable = false, length = 64)
    public String tokenHash;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "last_seen_at", nullable = false)
    public Instant lastSeenAt;

    /** The absolute end, whatever the activity. */
    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "client_address", nullable = false, length = 64)
    public String clientAddress;

    @Column(name = "user_agent", nullable = false, length = 255)
    public String userAgent;

    /** The impersonation this session is in, if any (R10); checked on every request. */
    @Column(name = "impersonation_id")
    public Long impersonationId;

    // Helpers

    /** A session as every request reads it: the row, its user and the user's own account, in one statement. */
    public record Signed(UserSession session, Long accountId, String accountName, String accountColour) {
    }

    public static Signed findSigned(String tokenHash) {
        return getEntityManager().createQuery("select s, a.id, a.displayName, a.colour from UserSession s"
                + " join fetch s.user u join Account a on a.owner = u where s.tokenHash = ?1", Object[].class)
                .setParameter(1, tokenHash).getResultStream().findFirst()
                .map(r -> new Signed((UserSession) r[0], (Long) r[1], (String) r[2], (String) r[3])).orElse(null);
    }

    public static List<UserSession> listOf(Long userId) {
        return list("user.id = ?1 order by lastSeenAt desc", userId);
    }

    public static long deleteAllOf(Long userId) {
        return delete("user.id", userId);
    }

    public static long deleteAllOfExcept(Long userId, Long keptSessionId) {
        return delete("user.id = ?1 and id <> ?2", userId, keptSessionId);
    }
}
