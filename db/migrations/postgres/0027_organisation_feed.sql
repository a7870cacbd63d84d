-- The organisation feed (issue 12; docs/features/performance-work.md, "feed"): a notification for the whole back
-- office of an organisation is ONE row (recipient_id NULL, organisation_id set) instead of one row and one user-row
-- lock per back-office user. One cursor space per organisation: every notification a back-office user can see (the
-- organisation's rows and their personal ones) takes its seq from organisations.notification_seq under that row's
-- lock, so their inbox stays gapless and in commit order (see 0002 for the per-user rule it generalises). Everyone
-- without an organisation keeps users.notification_seq.
-- Continuity: the counter starts at the highest cursor any of its users holds, so no client cursor goes backwards.
ALTER TABLE organisations ADD COLUMN notification_seq bigint NOT NULL DEFAULT 0;
UPDATE organisations o SET notification_seq = COALESCE((SELECT MAX(u.notification_seq) FROM users u WHERE u.organisation_id = o.id), 0);
-- The organisation's counter when the user joined its back office: older organisation rows are not theirs (a new
-- colleague inherits no history; the digest counts none). Set wherever a user is created or moved.
ALTER TABLE users ADD COLUMN feed_since_seq bigint NOT NULL DEFAULT 0;
UPDATE users u SET feed_since_seq = o.notification_seq FROM organisations o WHERE o.id = u.organisation_id;
ALTER TABLE notifications ALTER COLUMN recipient_id DROP NOT NULL;
ALTER TABLE notifications ADD COLUMN organisation_id uuid NULL REFERENCES organisations (id);
ALTER TABLE notifications ADD CONSTRAINT ck_notifications_one_reader CHECK ((recipient_id IS NULL) <> (organisation_id IS NULL));
CREATE UNIQUE INDEX ux_notifications_organisation_seq ON notifications (organisation_id, seq) WHERE organisation_id IS NOT NULL;
-- Read marks of organisation rows, per reader (a colleague's mark is not mine); personal rows keep read_at.
CREATE TABLE notification_reads (
    notification_id     uuid              NOT NULL REFERENCES notifications (id),
    user_id             uuid              NOT NULL REFERENCES users (id),
    read_at             timestamptz       NOT NULL,
    PRIMARY KEY (notification_id, user_id)
);
-- Every reader's inbox as rows per reader, as the table held them before: personal rows, plus the organisation rows
-- expanded to the organisation's CURRENT back-office users from the moment they joined, with their own read mark.
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
