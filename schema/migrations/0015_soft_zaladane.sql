CREATE TABLE "keystore_keys" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"label" text NOT NULL,
	"key" text NOT NULL,
	"key_data" jsonb NOT NULL,
	"comment" text,
	"algorithm" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "keystore_keys" ADD CONSTRAINT "keystore_keys_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "keystore_keys" ADD CONSTRAINT "keystore_keys_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "keystore_keys_user_org_label_key" ON "keystore_keys" USING btree ("user_id","organization_id","label");