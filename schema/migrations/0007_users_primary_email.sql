ALTER TABLE "users" ADD COLUMN "primary_email" text;--> statement-breakpoint
-- users.primary_email is derived from contacts (the primary active email, at most one per user by
-- contacts_primary_key, which holds after every row). It is kept here, by the database, in the
-- same transaction as every change to contacts, so no code path (services, bootstrap, seeds,
-- hand-written SQL) can leave it stale. Statement-level triggers with transition tables: a bulk
-- insert sets each touched user once, set-based, instead of once per row.
--
-- An inserted primary active email IS the user's primary email (the unique index allows no
-- other), so inserts read only the inserted rows: a bulk load must not look its rows up in a
-- table the planner still believes empty. Updates and deletes, a few rows at a time, read the
-- user's primary email again from contacts.
CREATE FUNCTION "users_refresh_primary_email"("user_ids" uuid[]) RETURNS void LANGUAGE sql AS $$
  UPDATE "users" u SET "primary_email" = p."value"
  FROM (
    SELECT t."id", (
      SELECT c."value" FROM "contacts" c
      WHERE c."user_id" = t."id" AND c."type" = 'email' AND c."is_primary" AND c."state" = 'active'
    ) AS "value"
    FROM unnest("user_ids") AS t("id")
  ) p
  WHERE u."id" = p."id" AND u."primary_email" IS DISTINCT FROM p."value"
$$;--> statement-breakpoint
CREATE FUNCTION "contacts_inserted_primary_email"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "users" u SET "primary_email" = n."value"
  FROM "new_contacts" n
  WHERE n."user_id" = u."id" AND n."type" = 'email' AND n."is_primary" AND n."state" = 'active'
    AND u."primary_email" IS DISTINCT FROM n."value";
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION "contacts_updated_primary_email"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Any email contact that was or is primary and active.
  PERFORM "users_refresh_primary_email"(ARRAY(
    SELECT "user_id" FROM "old_contacts" WHERE "type" = 'email' AND "is_primary" AND "state" = 'active'
    UNION
    SELECT "user_id" FROM "new_contacts" WHERE "type" = 'email' AND "is_primary" AND "state" = 'active'));
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION "contacts_deleted_primary_email"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "users_refresh_primary_email"(ARRAY(SELECT DISTINCT "user_id" FROM "old_contacts" WHERE "type" = 'email' AND "is_primary" AND "state" = 'active'));
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "contacts_inserted_primary_email" AFTER INSERT ON "contacts" REFERENCING NEW TABLE AS "new_contacts" FOR EACH STATEMENT EXECUTE FUNCTION "contacts_inserted_primary_email"();--> statement-breakpoint
CREATE TRIGGER "contacts_updated_primary_email" AFTER UPDATE ON "contacts" REFERENCING OLD TABLE AS "old_contacts" NEW TABLE AS "new_contacts" FOR EACH STATEMENT EXECUTE FUNCTION "contacts_updated_primary_email"();--> statement-breakpoint
CREATE TRIGGER "contacts_deleted_primary_email" AFTER DELETE ON "contacts" REFERENCING OLD TABLE AS "old_contacts" FOR EACH STATEMENT EXECUTE FUNCTION "contacts_deleted_primary_email"();--> statement-breakpoint
-- Existing users: filled once.
UPDATE "users" u SET "primary_email" = c."value"
FROM "contacts" c
WHERE c."user_id" = u."id" AND c."type" = 'email' AND c."is_primary" AND c."state" = 'active';
