CREATE TYPE "public"."profile_entry_kind" AS ENUM('address', 'bank_account', 'digital_wallet');--> statement-breakpoint
CREATE TABLE "authorizations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"grants" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "avatars" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"label" text NOT NULL,
	"source" text,
	"file_hash" text,
	"content_type" text,
	"data_base64" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "contracts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"contract_id" text NOT NULL,
	"created_by_id" uuid,
	"parties" jsonb NOT NULL,
	"party_user_ids" uuid[] NOT NULL,
	"content" text NOT NULL,
	"contract_type" text NOT NULL,
	"invalidates" jsonb NOT NULL,
	"extends" jsonb NOT NULL,
	"expires" timestamp with time zone NOT NULL,
	"signatures" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
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
CREATE TABLE "profile_entries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" "profile_entry_kind" NOT NULL,
	"label" text NOT NULL,
	"data" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "see_documents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"unique_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "see_versions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"document_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"content" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "user_registry_entries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"key" text NOT NULL,
	"value" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "authorizations" ADD CONSTRAINT "authorizations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "authorizations" ADD CONSTRAINT "authorizations_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "avatars" ADD CONSTRAINT "avatars_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "keystore_keys" ADD CONSTRAINT "keystore_keys_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "keystore_keys" ADD CONSTRAINT "keystore_keys_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "profile_entries" ADD CONSTRAINT "profile_entries_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "see_documents" ADD CONSTRAINT "see_documents_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "see_documents" ADD CONSTRAINT "see_documents_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "see_versions" ADD CONSTRAINT "see_versions_document_id_see_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."see_documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_registry_entries" ADD CONSTRAINT "user_registry_entries_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "authorizations_user_organization_key" ON "authorizations" USING btree ("user_id","organization_id");--> statement-breakpoint
CREATE INDEX "authorizations_organization_id_idx" ON "authorizations" USING btree ("organization_id");--> statement-breakpoint
CREATE UNIQUE INDEX "avatars_user_label_key" ON "avatars" USING btree ("user_id","label");--> statement-breakpoint
CREATE INDEX "avatars_file_hash_idx" ON "avatars" USING btree ("file_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "contracts_contract_id_key" ON "contracts" USING btree ("contract_id");--> statement-breakpoint
CREATE INDEX "contracts_created_at_idx" ON "contracts" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "keystore_keys_user_org_label_key" ON "keystore_keys" USING btree ("user_id","organization_id","label");--> statement-breakpoint
CREATE UNIQUE INDEX "profile_entries_user_kind_label_key" ON "profile_entries" USING btree ("user_id","kind","label");--> statement-breakpoint
CREATE INDEX "profile_entries_user_id_idx" ON "profile_entries" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "see_documents_user_org_unique_key" ON "see_documents" USING btree ("user_id","organization_id","unique_id");--> statement-breakpoint
CREATE UNIQUE INDEX "see_versions_document_version_key" ON "see_versions" USING btree ("document_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "user_registry_entries_user_key_key" ON "user_registry_entries" USING btree ("user_id","key");