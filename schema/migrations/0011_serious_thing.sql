CREATE TABLE "jwt_shared_secrets" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"shared_secret" text NOT NULL,
	"permissions" jsonb NOT NULL,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "jwt_used_ids" (
	"secret_id" uuid NOT NULL,
	"jti" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "jwt_used_ids_secret_id_jti_pk" PRIMARY KEY("secret_id","jti")
);
--> statement-breakpoint
CREATE TABLE "sigchain_transactions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"transaction" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "jwt_shared_secrets" ADD CONSTRAINT "jwt_shared_secrets_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "jwt_shared_secrets" ADD CONSTRAINT "jwt_shared_secrets_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "jwt_used_ids" ADD CONSTRAINT "jwt_used_ids_secret_id_jwt_shared_secrets_id_fk" FOREIGN KEY ("secret_id") REFERENCES "public"."jwt_shared_secrets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sigchain_transactions" ADD CONSTRAINT "sigchain_transactions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "jwt_shared_secrets_organization_idx" ON "jwt_shared_secrets" USING btree ("organization_id","created_at");--> statement-breakpoint
CREATE INDEX "jwt_used_ids_expires_idx" ON "jwt_used_ids" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "sigchain_transactions_user_position_key" ON "sigchain_transactions" USING btree ("user_id","position");