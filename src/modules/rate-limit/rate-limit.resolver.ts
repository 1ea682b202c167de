// The `rateLimit` root field: the budget this request was charged against (context.budget).
import { Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context.js';
import { RateLimit } from './rate-limit.type.js';

@Resolver()
export class RateLimitResolver {
  @Query(() => RateLimit, { nullable: true, description: 'Your request budget after this request (null: no budget applies to you).' })
  rateLimit(@Ctx() ctx: Context): RateLimit | null {
    const state = ctx.budget ?? ctx.deps.rateLimits.peek(ctx.principal, ctx.ip);
    return state ? RateLimit.from(state) : null;
  }
}
