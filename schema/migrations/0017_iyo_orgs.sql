CREATE TABLE "organization_dns_names" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "organization_required_scopes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"scope" text NOT NULL,
	"access_scopes" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "organization_dns_names" ADD CONSTRAINT "organization_dns_names_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization_required_scopes" ADD CONSTRAINT "organization_required_scopes_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "organization_dns_names_name_key" ON "organization_dns_names" USING btree (lower("name"));--> statement-breakpoint
CREATE INDEX "organization_dns_names_organization_idx" ON "organization_dns_names" USING btree ("organization_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "organization_required_scopes_org_scope_key" ON "organization_required_scopes" USING btree ("organization_id","scope");