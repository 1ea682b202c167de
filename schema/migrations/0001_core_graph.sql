CREATE TYPE "public"."device_state" AS ENUM('active', 'revoked');--> statement-breakpoint
CREATE TYPE "public"."public_key_kind" AS ENUM('ssh', 'labelled');--> statement-breakpoint
CREATE TYPE "public"."invitation_method" AS ENUM('website', 'email', 'phone');--> statement-breakpoint
CREATE TYPE "public"."invitation_status" AS ENUM('pending', 'accepted', 'rejected', 'revoked', 'expired');--> statement-breakpoint
CREATE TYPE "public"."org_membership_role" AS ENUM('owner', 'member');--> statement-breakpoint
CREATE TYPE "public"."outbox_channel" AS ENUM('email', 'sms');--> statement-breakpoint
CREATE TYPE "public"."outbox_status" AS ENUM('pending', 'sent', 'failed');--> statement-breakpoint
CREATE TABLE "devices" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"state" "device_state" DEFAULT 'active' NOT NULL,
	"encryption_public_key" text,
	"signing_public_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "identities" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"provider" text NOT NULL,
	"external_uid" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "public_keys" (
	"id" uuid PRIMARY KEY NOT NULL,
	"database_id" integer GENERATED ALWAYS AS IDENTITY (sequence name "public_keys_database_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"user_id" uuid NOT NULL,
	"kind" "public_key_kind" NOT NULL,
	"label" text NOT NULL,
	"key" text NOT NULL,
	"fingerprint" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "invitations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"invitee_user_id" uuid,
	"invitee_email" text,
	"invitee_phone" text,
	"invitee_organization_id" uuid,
	"role" "membership_role" DEFAULT 'member' NOT NULL,
	"status" "invitation_status" DEFAULT 'pending' NOT NULL,
	"method" "invitation_method" DEFAULT 'website' NOT NULL,
	"invited_by_id" uuid,
	"sent_at" timestamp with time zone,
	"valid_until" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	"declined_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invitations_one_invitee" CHECK (num_nonnulls("invitations"."invitee_user_id", "invitations"."invitee_email", "invitations"."invitee_phone", "invitations"."invitee_organization_id") >= 1)
);
--> statement-breakpoint
CREATE TABLE "organization_memberships" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"member_organization_id" uuid NOT NULL,
	"role" "org_membership_role" NOT NULL,
	"include_sub_organizations" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organization_memberships_not_self" CHECK ("organization_memberships"."organization_id" <> "organization_memberships"."member_organization_id")
);
--> statement-breakpoint
CREATE TABLE "group_members" (
	"id" uuid PRIMARY KEY NOT NULL,
	"group_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"is_admin" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "group_message_keys" (
	"id" uuid PRIMARY KEY NOT NULL,
	"group_id" uuid NOT NULL,
	"created_for_device_id" uuid,
	"created_for_key_hash" text,
	"encrypted_message_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "groups" (
	"id" uuid PRIMARY KEY NOT NULL,
	"database_id" integer GENERATED ALWAYS AS IDENTITY (sequence name "groups_database_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"organization_id" uuid NOT NULL,
	"name" text NOT NULL,
	"encryption_public_key" text,
	"signing_public_key" text,
	"encrypted_encryption_private_key" text,
	"encrypted_signing_private_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "message_accesses" (
	"id" uuid PRIMARY KEY NOT NULL,
	"message_id" uuid NOT NULL,
	"user_id" uuid,
	"email" text,
	"added_by_id" uuid,
	"path" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"read_first_at" timestamp with time zone,
	"read_last_at" timestamp with time zone,
	"read_count" integer DEFAULT 0 NOT NULL,
	"revoked" boolean DEFAULT false NOT NULL,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "messages" (
	"id" uuid PRIMARY KEY NOT NULL,
	"owner_id" uuid NOT NULL,
	"organization_id" uuid,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"allow_download" boolean DEFAULT true NOT NULL,
	"self_destruct_at" timestamp with time zone,
	"is_service" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" uuid PRIMARY KEY NOT NULL,
	"channel" "outbox_channel" NOT NULL,
	"template" text NOT NULL,
	"recipient" text NOT NULL,
	"subject" text,
	"body" text NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"organization_id" uuid,
	"status" "outbox_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
DROP INDEX "memberships_organization_id_idx";--> statement-breakpoint
DROP INDEX "event_logs_actor_idx";--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "validation_code_hash" text;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "validation_sent_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identities" ADD CONSTRAINT "identities_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "public_keys" ADD CONSTRAINT "public_keys_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_invitee_user_id_users_id_fk" FOREIGN KEY ("invitee_user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_invitee_organization_id_organizations_id_fk" FOREIGN KEY ("invitee_organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_invited_by_id_users_id_fk" FOREIGN KEY ("invited_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization_memberships" ADD CONSTRAINT "organization_memberships_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization_memberships" ADD CONSTRAINT "organization_memberships_member_organization_id_organizations_id_fk" FOREIGN KEY ("member_organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_members" ADD CONSTRAINT "group_members_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_members" ADD CONSTRAINT "group_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_message_keys" ADD CONSTRAINT "group_message_keys_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_message_keys" ADD CONSTRAINT "group_message_keys_created_for_device_id_devices_id_fk" FOREIGN KEY ("created_for_device_id") REFERENCES "public"."devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "groups" ADD CONSTRAINT "groups_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_accesses" ADD CONSTRAINT "message_accesses_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_accesses" ADD CONSTRAINT "message_accesses_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_accesses" ADD CONSTRAINT "message_accesses_added_by_id_users_id_fk" FOREIGN KEY ("added_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "devices_user_id_idx" ON "devices" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "identities_provider_uid_key" ON "identities" USING btree ("provider","external_uid");--> statement-breakpoint
CREATE INDEX "identities_user_id_idx" ON "identities" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "public_keys_database_id_key" ON "public_keys" USING btree ("database_id");--> statement-breakpoint
CREATE INDEX "public_keys_user_id_idx" ON "public_keys" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "public_keys_ssh_fingerprint_key" ON "public_keys" USING btree ("fingerprint") WHERE "public_keys"."kind" = 'ssh';--> statement-breakpoint
CREATE UNIQUE INDEX "public_keys_user_label_key" ON "public_keys" USING btree ("user_id","kind","label");--> statement-breakpoint
CREATE INDEX "invitations_organization_idx" ON "invitations" USING btree ("organization_id","created_at","id");--> statement-breakpoint
CREATE INDEX "invitations_invitee_user_idx" ON "invitations" USING btree ("invitee_user_id");--> statement-breakpoint
CREATE INDEX "invitations_invitee_email_idx" ON "invitations" USING btree (lower("invitee_email"));--> statement-breakpoint
CREATE UNIQUE INDEX "invitations_pending_user_key" ON "invitations" USING btree ("organization_id","invitee_user_id") WHERE "invitations"."status" = 'pending' AND "invitations"."invitee_user_id" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "invitations_pending_email_key" ON "invitations" USING btree ("organization_id",lower("invitee_email")) WHERE "invitations"."status" = 'pending' AND "invitations"."invitee_email" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "invitations_pending_org_key" ON "invitations" USING btree ("organization_id","invitee_organization_id") WHERE "invitations"."status" = 'pending' AND "invitations"."invitee_organization_id" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "organization_memberships_pair_key" ON "organization_memberships" USING btree ("organization_id","member_organization_id");--> statement-breakpoint
CREATE INDEX "organization_memberships_member_idx" ON "organization_memberships" USING btree ("member_organization_id");--> statement-breakpoint
CREATE UNIQUE INDEX "group_members_group_user_key" ON "group_members" USING btree ("group_id","user_id");--> statement-breakpoint
CREATE INDEX "group_members_user_idx" ON "group_members" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "group_message_keys_group_idx" ON "group_message_keys" USING btree ("group_id");--> statement-breakpoint
CREATE UNIQUE INDEX "groups_database_id_key" ON "groups" USING btree ("database_id");--> statement-breakpoint
CREATE INDEX "groups_organization_idx" ON "groups" USING btree ("organization_id","name","id");--> statement-breakpoint
CREATE INDEX "message_accesses_message_idx" ON "message_accesses" USING btree ("message_id","created_at","id");--> statement-breakpoint
CREATE INDEX "message_accesses_user_idx" ON "message_accesses" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "message_accesses_message_user_key" ON "message_accesses" USING btree ("message_id","user_id") WHERE "message_accesses"."user_id" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "message_accesses_message_email_key" ON "message_accesses" USING btree ("message_id",lower("email")) WHERE "message_accesses"."email" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "messages_owner_idx" ON "messages" USING btree ("owner_id","created_at","id");--> statement-breakpoint
CREATE INDEX "messages_organization_idx" ON "messages" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "outbox_pending_idx" ON "outbox" USING btree ("status","created_at");--> statement-breakpoint
ALTER TABLE "event_logs" ADD CONSTRAINT "event_logs_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_logs" ADD CONSTRAINT "event_logs_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "login_logs" ADD CONSTRAINT "login_logs_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "contacts_primary_key" ON "contacts" USING btree ("user_id","type") WHERE "contacts"."is_primary" AND "contacts"."state" = 'active';--> statement-breakpoint
CREATE INDEX "memberships_organization_created_idx" ON "memberships" USING btree ("organization_id","created_at","id");--> statement-breakpoint
CREATE INDEX "event_logs_message_idx" ON "event_logs" USING btree ("message_id","occurred_at");--> statement-breakpoint
CREATE INDEX "event_logs_actor_idx" ON "event_logs" USING btree ("actor_user_id","occurred_at","id");