import type { AreaHandlers } from "../types";

type BillingRoute =
  | "billing.status"
  | "billing.signUp"
  | "billing.signIn"
  | "billing.signOut"
  | "billing.refresh"
  | "billing.checkout"
  | "billing.portal"
  | "billing.changePlan";

/** Plan & billing: every route answers from the billing service; none returns a token or the licence itself. */
export const billingHandlers: AreaHandlers<BillingRoute> = ({ billing }) => ({
  "billing.status": async () => billing.status(),
  "billing.signUp": (input) => billing.signUp(input),
  "billing.signIn": (input) => billing.signIn(input),
  "billing.signOut": () => billing.signOut(),
  "billing.refresh": () => billing.refresh(),
  "billing.checkout": ({ tier }) => billing.checkout(tier),
  "billing.portal": () => billing.portal(),
  "billing.changePlan": (input) => billing.changePlan(input),
});
