CREATE TABLE "rate_limit_budgets" (
	"key" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"spent" bigint NOT NULL,
	CONSTRAINT "rate_limit_budgets_key_window_start_pk" PRIMARY KEY("key","window_start")
);
--> statement-breakpoint
CREATE TABLE "sign_in_throttles" (
	"key" text PRIMARY KEY NOT NULL,
	"attempts" integer NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"previous_attempts" integer,
	"previous_window_start" timestamp with time zone
);
