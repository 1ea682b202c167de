-- The event log's trigger (0011) also queues webhook deliveries: one outbox row (channel
-- `webhook`) per enabled endpoint of the event's organization or of an organization above it
-- whose actions list is empty or names the event's action. Written in the transaction of the
-- change, so a delivery exists exactly when its event was committed. Events outside any
-- organization have no webhooks; the EXISTS keeps writes free of the lookup until an endpoint
-- exists at all. The body is built when sending, from the event row (payload.eventId).
CREATE OR REPLACE FUNCTION igw_event_log_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('igw_event_log', NEW.id::text || ' ' || NEW.action);
  IF NEW.organization_id IS NOT NULL AND EXISTS (SELECT 1 FROM webhooks WHERE enabled) THEN
    INSERT INTO outbox (id, channel, template, recipient, body, payload, organization_id, webhook_id)
    SELECT gen_random_uuid(), 'webhook', 'webhook', w.url, NEW.action, jsonb_build_object('eventId', NEW.id), NEW.organization_id, w.id
    FROM webhooks w
    WHERE w.enabled
      AND (cardinality(w.actions) = 0 OR NEW.action = ANY (w.actions))
      AND w.organization_id IN (
        WITH RECURSIVE up(id, parent_id) AS (
          SELECT o.id, o.parent_id FROM organizations o WHERE o.id = NEW.organization_id
          UNION ALL
          SELECT o.id, o.parent_id FROM organizations o JOIN up ON o.id = up.parent_id
        ) SELECT up.id FROM up);
  END IF;
  RETURN NULL;
END;
$$;
