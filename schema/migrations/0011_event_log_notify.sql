-- Every event-log row announces itself on the channel igw_event_log: its id and its action,
-- separated by a space (actions are short identifiers: far below NOTIFY's 8000-byte limit), so a
-- listener that cares about some actions only (revocations) reads no row for the others. NOTIFY inside the writing transaction is
-- delivered when it commits and never when it rolls back, so a listener hears exactly the
-- events that happened; subscribers read the row itself (src/core/events/feed.ts).
CREATE FUNCTION igw_event_log_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('igw_event_log', NEW.id::text || ' ' || NEW.action);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER event_logs_notify AFTER INSERT ON event_logs FOR EACH ROW EXECUTE FUNCTION igw_event_log_notify();
