DROP INDEX "memberships_organization_created_idx";--> statement-breakpoint
CREATE INDEX "memberships_organization_id_idx" ON "memberships" USING btree ("organization_id","id");