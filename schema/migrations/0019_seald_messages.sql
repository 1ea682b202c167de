CREATE TABLE "admin_keys" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"name" text NOT NULL,
	"encrypted_admin_key" text NOT NULL,
	"public_admin_key" text NOT NULL,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "encrypted_backup_keys" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"admin_key_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"device_id" uuid,
	"encrypted_backup_key" text NOT NULL,
	"transaction_data" jsonb,
	"renewed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "entrusted_message_keys" (
	"id" uuid PRIMARY KEY NOT NULL,
	"message_id" uuid NOT NULL,
	"created_for_type" text NOT NULL,
	"created_for_value" text NOT NULL,
	"message_key" text NOT NULL,
	"additional_factor" jsonb,
	"converted_for_id" uuid,
	"added_by_id" uuid,
	"read_first_at" timestamp with time zone,
	"read_last_at" timestamp with time zone,
	"read_count" integer DEFAULT 0 NOT NULL,
	"replies" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"revoked" boolean DEFAULT false NOT NULL,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lost_accounts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"email" text NOT NULL,
	"device_name" text NOT NULL,
	"state" smallint DEFAULT 0 NOT NULL,
	"encryption_public_key" text NOT NULL,
	"signing_public_key" text NOT NULL,
	"created_device_id" uuid,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "message_keys" (
	"id" uuid PRIMARY KEY NOT NULL,
	"message_id" uuid NOT NULL,
	"device_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"encrypted_key" text NOT NULL,
	"created_for_key_hash" text,
	"added_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "admin_keys" ADD CONSTRAINT "admin_keys_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "admin_keys" ADD CONSTRAINT "admin_keys_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "encrypted_backup_keys" ADD CONSTRAINT "encrypted_backup_keys_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "encrypted_backup_keys" ADD CONSTRAINT "encrypted_backup_keys_admin_key_id_admin_keys_id_fk" FOREIGN KEY ("admin_key_id") REFERENCES "public"."admin_keys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "encrypted_backup_keys" ADD CONSTRAINT "encrypted_backup_keys_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "encrypted_backup_keys" ADD CONSTRAINT "encrypted_backup_keys_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entrusted_message_keys" ADD CONSTRAINT "entrusted_message_keys_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entrusted_message_keys" ADD CONSTRAINT "entrusted_message_keys_converted_for_id_users_id_fk" FOREIGN KEY ("converted_for_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entrusted_message_keys" ADD CONSTRAINT "entrusted_message_keys_added_by_id_users_id_fk" FOREIGN KEY ("added_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lost_accounts" ADD CONSTRAINT "lost_accounts_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lost_accounts" ADD CONSTRAINT "lost_accounts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lost_accounts" ADD CONSTRAINT "lost_accounts_created_device_id_devices_id_fk" FOREIGN KEY ("created_device_id") REFERENCES "public"."devices"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lost_accounts" ADD CONSTRAINT "lost_accounts_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_keys" ADD CONSTRAINT "message_keys_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_keys" ADD CONSTRAINT "message_keys_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_keys" ADD CONSTRAINT "message_keys_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_keys" ADD CONSTRAINT "message_keys_added_by_id_users_id_fk" FOREIGN KEY ("added_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "admin_keys_organization_idx" ON "admin_keys" USING btree ("organization_id","created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "encrypted_backup_keys_admin_user_key" ON "encrypted_backup_keys" USING btree ("admin_key_id","user_id");--> statement-breakpoint
CREATE INDEX "encrypted_backup_keys_organization_idx" ON "encrypted_backup_keys" USING btree ("organization_id","user_id");--> statement-breakpoint
CREATE INDEX "entrusted_message_keys_message_idx" ON "entrusted_message_keys" USING btree ("message_id","created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "entrusted_message_keys_recipient_key" ON "entrusted_message_keys" USING btree ("message_id","created_for_type",lower("created_for_value"));--> statement-breakpoint
CREATE INDEX "lost_accounts_organization_idx" ON "lost_accounts" USING btree ("organization_id","created_at","id");--> statement-breakpoint
CREATE INDEX "lost_accounts_user_idx" ON "lost_accounts" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "lost_accounts_open_key" ON "lost_accounts" USING btree ("organization_id","user_id") WHERE "lost_accounts"."state" <= 3;--> statement-breakpoint
CREATE UNIQUE INDEX "message_keys_message_device_key" ON "message_keys" USING btree ("message_id","device_id");--> statement-breakpoint
CREATE INDEX "message_keys_user_idx" ON "message_keys" USING btree ("user_id","message_id");