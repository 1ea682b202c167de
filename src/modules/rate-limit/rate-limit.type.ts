// The caller's request budget as the graph shows it (GitHub's `rateLimit` object).
import { Field, Int, ObjectType } from 'type-graphql';
import { ReadsNoRow } from '../../core/read/reads.js';
import type { BudgetState } from '../../core/rate-limit/index.js';

const MAX_INT = 2 ** 31 - 1;

@ReadsNoRow()
@ObjectType({
  description:
    "Your request budget: every request is charged its operation's cost (the same estimate the query cost limit uses), per fixed window, against your API token, your signed-in session, or (anonymous) your client address; /graphql and the REST APIs share it. Over budget, requests are refused with RATE_LIMITED (HTTP 429, Retry-After).",
})
export class RateLimit {
  @Field(() => Int, { description: 'Points per window.' })
  limit!: number;

  @Field(() => Int, { description: 'What this request was charged: its operation cost.' })
  cost!: number;

  @Field(() => Int, { description: 'Points left in the current window after this request.' })
  remaining!: number;

  @Field(() => Int, { description: 'Points spent in the current window, this request included.' })
  used!: number;

  @Field(() => Date, { description: 'When the current window ends and the budget is whole again.' })
  resetAt!: Date;

  static from(s: BudgetState): RateLimit {
    // Processes that sync late can take `used` past the limit (core/rate-limit/budget.ts): kept within Int.
    return Object.assign(new RateLimit(), { limit: s.limit, cost: s.cost, remaining: s.remaining, used: Math.min(s.used, MAX_INT), resetAt: new Date(s.resetAt) });
  }
}
