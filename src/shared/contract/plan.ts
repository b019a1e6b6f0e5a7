/** Plan ids as the contract sees them; prices and limits live in shared/domain/plans.ts. */
export const PLAN_IDS = ["free", "professional", "enterprise"] as const;
export type PlanIdWire = (typeof PLAN_IDS)[number];
