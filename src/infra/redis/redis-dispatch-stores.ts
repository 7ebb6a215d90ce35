/** What the dispatcher keeps in Redis besides the engine's stores: reaction order and claims, kept thread replies. */
import type { ReactionClaims, ReactionOrder, ReasonReplies } from '../../core/index.ts';
import type { RedisClient } from './redis-connector.ts';
import { createRedisReactionClaims } from './redis-reaction-claims.ts';
import { createRedisReactionOrder } from './redis-reaction-order.ts';
import { createRedisReasonReplies } from './redis-reason-replies.ts';

export function createRedisDispatchStores(deps: { redis: RedisClient; prefix: string }): {
  readonly reactionOrder: ReactionOrder;
  readonly reactionClaims: ReactionClaims;
  readonly reasonReplies: ReasonReplies;
} {
  return {
    reactionOrder: createRedisReactionOrder(deps),
    reactionClaims: createRedisReactionClaims(deps),
    reasonReplies: createRedisReasonReplies(deps),
  };
}
