CREATE TABLE "organization_api_keys" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"label" text NOT NULL,
	"key_hash" text NOT NULL,
	"callback_url" text,
	"client_credentials_grant_type" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "organization_descriptions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"lang_key" text NOT NULL,
	"text" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "organization_iyo_settings" (
	"organization_id" uuid PRIMARY KEY NOT NULL,
	"logo" text,
	"two_factor_validity_seconds" integer,
	"updated_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "organization_registry_entries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"key" text NOT NULL,
	"value" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "contracts" ADD COLUMN "party_organization_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL;--> statement-breakpoint
ALTER TABLE "organization_api_keys" ADD CONSTRAINT "organization_api_keys_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization_descriptions" ADD CONSTRAINT "organization_descriptions_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization_iyo_settings" ADD CONSTRAINT "organization_iyo_settings_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization_registry_entries" ADD CONSTRAINT "organization_registry_entries_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "organization_api_keys_org_label_key" ON "organization_api_keys" USING btree ("organization_id","label");--> statement-breakpoint
CREATE UNIQUE INDEX "organization_api_keys_key_hash_key" ON "organization_api_keys" USING btree ("key_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "organization_descriptions_org_lang_key" ON "organization_descriptions" USING btree ("organization_id","lang_key");--> statement-breakpoint
CREATE UNIQUE INDEX "organization_registry_entries_org_key_key" ON "organization_registry_entries" USING btree ("organization_id","key");--> statement-breakpoint
CREATE INDEX "contracts_party_organization_ids_idx" ON "contracts" USING gin ("party_organization_ids");