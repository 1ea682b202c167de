CREATE TABLE "group_key_sets" (
	"id" uuid PRIMARY KEY NOT NULL,
	"group_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"generation" integer NOT NULL,
	"encryption_public_key" text,
	"signing_public_key" text,
	"encrypted_encryption_private_key" text,
	"encrypted_signing_private_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"replaced_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "group_sigchain_transactions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"group_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"transaction" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "group_message_keys" ADD COLUMN "generation" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "groups" ADD COLUMN "key_generation" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "group_key_sets" ADD CONSTRAINT "group_key_sets_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_key_sets" ADD CONSTRAINT "group_key_sets_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_sigchain_transactions" ADD CONSTRAINT "group_sigchain_transactions_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "group_key_sets_group_generation_key" ON "group_key_sets" USING btree ("group_id","generation");--> statement-breakpoint
CREATE UNIQUE INDEX "group_sigchain_transactions_group_position_key" ON "group_sigchain_transactions" USING btree ("group_id","position");--> statement-breakpoint
CREATE INDEX "group_sigchain_transactions_created_idx" ON "group_sigchain_transactions" USING btree ("group_id","created_at");--> statement-breakpoint
CREATE INDEX "group_message_keys_device_idx" ON "group_message_keys" USING btree ("created_for_device_id");