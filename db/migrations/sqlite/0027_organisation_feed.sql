-- The organisation feed (issue 12; docs/features/performance-work.md, "feed"): a notification for the whole back
-- office of an organisation is ONE row (recipient_id NULL, organisation_id set) instead of one row and one counter
-- bump per back-office user. One cursor space per organisation: every notification a back-office user can see (the
-- organisation's rows and their personal ones) takes its seq from organisations.notification_seq (SQLite: one writer
-- at a time, so that is commit order), so their inbox stays gapless and in commit order (see 0002 for the per-user
-- rule it generalises). Everyone without an organisation keeps users.notification_seq.
-- Continuity: the counter starts at the highest cursor any of its users holds, so no client cursor goes backwards.
ALTER TABLE organisations ADD COLUMN notification_seq INTEGER NOT NULL DEFAULT 0;
UPDATE organisations SET notification_seq = COALESCE((SELECT MAX(u.notification_seq) FROM users u WHERE u.organisation_id = organisations.id), 0);
-- The organisation's counter when the user joined its back office: older organisation rows are not theirs (a new
-- colleague inherits no history; the digest counts none). Set wherever a user is created or moved.
ALTER TABLE users ADD COLUMN feed_since_seq INTEGER NOT NULL DEFAULT 0;
UPDATE users SET feed_since_seq = COALESCE((SELECT o.notification_seq FROM organisations o WHERE o.id = users.organisation_id), 0);
-- recipient_id becomes optional: SQLite rebuilds the table (same columns, organisation_id added, rows kept).
CREATE TABLE notifications_feed (
    id                  TEXT              NOT NULL PRIMARY KEY,
    recipient_id        TEXT              NULL REFERENCES users (id),
    seq                 INTEGER           NOT NULL, -- the inbox cursor, in the reader's cursor space
    type                TEXT              NOT NULL,
    title               TEXT              NOT NULL,
    household_id        TEXT              NULL REFERENCES households (id),
    request_id          TEXT              NULL,
    created_at          TEXT              NOT NULL,
    read_at             TEXT              NULL,
    organisation_id     TEXT              NULL REFERENCES organisations (id),
    CONSTRAINT ck_notifications_one_reader CHECK ((recipient_id IS NULL) <> (organisation_id IS NULL))
);
INSERT INTO notifications_feed (id, recipient_id, seq, type, title, household_id, request_id, created_at, read_at, organisation_id)
SELECT id, recipient_id, seq, type, title, household_id, request_id, created_at, read_at, NULL FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_feed RENAME TO notifications;
CREATE UNIQUE INDEX ux_notifications_recipient_seq ON notifications (recipient_id, seq);
CREATE UNIQUE INDEX ux_notifications_organisation_seq ON notifications (organisation_id, seq) WHERE organisation_id IS NOT NULL;
-- Read marks of organisation rows, per reader (a colleague's mark is not mine); personal rows keep read_at.
CREATE TABLE notification_reads (
    notification_id     TEXT              NOT NULL REFERENCES notifications (id),
    user_id             TEXT              NOT NULL REFERENCES users (id),
    read_at             TEXT              NOT NULL,
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
