-- The organisation feed (issue 12). See the PostgreSQL file for the comments.
ALTER TABLE organisations ADD notification_seq bigint NOT NULL DEFAULT 0;
GO
UPDATE organisations SET notification_seq = COALESCE((SELECT MAX(u.notification_seq) FROM users u WHERE u.organisation_id = organisations.id), 0);
GO
ALTER TABLE users ADD feed_since_seq bigint NOT NULL DEFAULT 0;
GO
UPDATE users SET feed_since_seq = COALESCE((SELECT o.notification_seq FROM organisations o WHERE o.id = users.organisation_id), 0);
GO
-- A unique index on a column blocks ALTER COLUMN; SQL Server's unique index counts NULLs as equal, hence filtered.
DROP INDEX ux_notifications_recipient_seq ON notifications;
GO
ALTER TABLE notifications ALTER COLUMN recipient_id uniqueidentifier NULL;
GO
ALTER TABLE notifications ADD organisation_id uniqueidentifier NULL REFERENCES organisations (id);
GO
ALTER TABLE notifications ADD CONSTRAINT ck_notifications_one_reader
    CHECK ((recipient_id IS NULL AND organisation_id IS NOT NULL) OR (recipient_id IS NOT NULL AND organisation_id IS NULL));
GO
CREATE UNIQUE INDEX ux_notifications_recipient_seq ON notifications (recipient_id, seq) WHERE recipient_id IS NOT NULL;
GO
CREATE UNIQUE INDEX ux_notifications_organisation_seq ON notifications (organisation_id, seq) WHERE organisation_id IS NOT NULL;
GO
CREATE TABLE notification_reads (
    notification_id     uniqueidentifier  NOT NULL REFERENCES notifications (id),
    user_id             uniqueidentifier  NOT NULL REFERENCES users (id),
    read_at             datetimeoffset(7) NOT NULL,
    PRIMARY KEY (notification_id, user_id)
);
GO
CREATE VIEW notification_inbox AS
SELECT n.recipient_id, n.id, n.seq, n.type, n.title, n.household_id, n.request_id, n.created_at, n.read_at
FROM notifications n
WHERE n.recipient_id IS NOT NULL
UNION ALL
SELECT u.id AS recipient_id, n.id, n.seq, n.type, n.title, n.household_id, n.request_id, n.created_at, r.read_at
FROM notifications n
JOIN users u ON u.organisation_id = n.organisation_id AND u.role = 'back-office' AND n.seq > u.feed_since_seq
LEFT JOIN notification_reads r ON r.notification_id = n.id AND r.user_id = u.id
WHERE n.organisation_id IS NOT NULL;
GO
