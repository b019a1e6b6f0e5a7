export const PLANS = {
  free: { id: "free", name: "Free", priceUsdMonthly: 0, personaLimit: 5 },
  professional: { id: "professional", name: "Professional", priceUsdMonthly: 49, personaLimit: 50 },
  enterprise: { id: "enterprise", name: "Enterprise", priceUsdMonthly: 199, personaLimit: null },
} as const;

export type PlanId = keyof typeof PLANS;
