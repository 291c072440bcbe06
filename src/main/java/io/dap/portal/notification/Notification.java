package io.dap.portal.notification;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** An in-app message for one user (an invitation received, an invitation accepted …). */
@Entity
@Table(name = "notification")
public class Notification extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "user_id", nullable = false)
    public Long userId;

    @Column(nullable = false, length = 500)
    public String message;

    @Column(length = 500)
    public String link;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "read_at")
    public Instant readAt;

    // Helpers

    public static void send(Long userId, String message, String link, Instant now) {
        Notification notification = new Notification();
        notification.userId = userId;
        notification.message = message.length() > 500 ? message.substring(0, 500) : message;
        notification.link = link;
        notification.createdAt = now;
        notification.persist();
    }
}
