-- 0007_notify: what delivering the outbound queue needs (core/notify_send.c).
--
-- A sender claims due messages by writing a lease on them (a random token and a time until which
-- the claim holds) in a short transaction, sends without holding any transaction, and records the
-- outcome only where its lease is still the one on the row. Two senders (two processes, or two
-- ticks) never send one message at once; a sender that stopped mid-send leaves a lease that
-- expires, and the message is tried again.
ALTER TABLE outbound ADD COLUMN lease TEXT;
ALTER TABLE outbound ADD COLUMN lease_until TEXT;

-- A removed webhook is disabled, never deleted, so its delivery log stays: when it was removed.
ALTER TABLE webhooks ADD COLUMN removed_at TEXT;
ALTER TABLE webhooks ADD COLUMN removed_by TEXT;

-- The rows a sender holds: few at any time, so the index stays small.
CREATE INDEX outbound_lease ON outbound(lease) WHERE lease IS NOT NULL;
