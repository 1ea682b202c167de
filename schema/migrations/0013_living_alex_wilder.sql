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
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "contracts_contract_id_key" ON "contracts" USING btree ("contract_id");--> statement-breakpoint
CREATE INDEX "contracts_created_at_idx" ON "contracts" USING btree ("created_at");