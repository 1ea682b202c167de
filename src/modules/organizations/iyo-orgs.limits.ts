// The bounds of Itsyouonline's organization lists: enforced on writes, and declared to the
// query-cost limit as the lists' maxItems (iyo-orgs.resolver.ts).

/** DNS names one organization may hold. */
export const MAX_DNS_NAMES = 100;
/** Required scopes one organization may hold. */
export const MAX_REQUIRED_SCOPES = 50;
/** Organizations a tree answer lists at most (its root and 9,999 descendants, shallowest first). */
export const MAX_TREE = 10_000;
