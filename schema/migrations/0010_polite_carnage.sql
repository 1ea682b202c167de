CREATE TYPE "public"."profile_entry_kind" AS ENUM('address', 'bank_account', 'digital_wallet');--> statement-breakpoint
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
ALTER TABLE "profile_entries" ADD CONSTRAINT "profile_entries_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "profile_entries_user_kind_label_key" ON "profile_entries" USING btree ("user_id","kind","label");--> statement-breakpoint
CREATE INDEX "profile_entries_user_id_idx" ON "profile_entries" USING btree ("user_id","created_at");