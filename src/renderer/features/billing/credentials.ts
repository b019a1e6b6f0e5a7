import type { ErrorCode } from "@shared/contract";
import { isBridgeError } from "../../bridge/bridge";
import { fieldErrorsOf } from "../../components/field-errors";
import { retryMinutesOf } from "./billing-state";

export type AccountMode = "signIn" | "signUp";

/** Keys under billing.account.errors: one message per problem, in the UI language. */
export type FieldProblem =
  | "emailRequired"
  | "emailInvalid"
  | "emailTooLong"
  | "passwordRequired"
  | "passwordTooShort"
  | "passwordTooLong"
  | "emailRejected"
  | "passwordRejected";

export interface CredentialProblems {
  email?: FieldProblem;
  password?: FieldProblem;
}

// The same shape Sight Cloud accepts (shared/cloud/contract.ts), checked before anything is sent.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const EMAIL_MAX = 254;
const PASSWORD_MIN = 8;
const PASSWORD_MAX = 256;

/** The first problem of each field; passwords are taken as typed (spaces count). */
export function checkCredentials(mode: AccountMode, email: string, password: string): CredentialProblems {
  const problems: CredentialProblems = {};
  const trimmed = email.trim();
  if (trimmed === "") problems.email = "emailRequired";
  else if (trimmed.length > EMAIL_MAX) problems.email = "emailTooLong";
  else if (!EMAIL.test(trimmed)) problems.email = "emailInvalid";
  if (password === "") problems.password = "passwordRequired";
  else if (password.length > PASSWORD_MAX) problems.password = "passwordTooLong";
  else if (mode === "signUp" && password.length < PASSWORD_MIN) problems.password = "passwordTooShort";
  return problems;
}

/** What a refused sign-in or sign-up means, without the server's words. */
export type AccountRefusal =
  | { kind: "fields"; problems: CredentialProblems }
  | { kind: "wrongCredentials" }
  | { kind: "rateLimited"; minutes: number }
  | { kind: "accountExists" }
  | { kind: "cloudUnreachable" }
  | { kind: "other"; code: ErrorCode };

export function accountRefusalOf(error: unknown, mode: AccountMode): AccountRefusal {
  if (!isBridgeError(error)) return { kind: "other", code: "INTERNAL" };
  switch (error.code) {
    case "UNAUTHORIZED":
      return { kind: "wrongCredentials" };
    case "RATE_LIMITED":
      return { kind: "rateLimited", minutes: retryMinutesOf(error.details) };
    case "CONFLICT":
      return mode === "signUp" ? { kind: "accountExists" } : { kind: "other", code: error.code };
    case "PROVIDER_UNAVAILABLE":
      return { kind: "cloudUnreachable" };
    case "VALIDATION_FAILED": {
      const fields = fieldErrorsOf(error) ?? {};
      const problems: CredentialProblems = {};
      if ("email" in fields) problems.email = "emailRejected";
      if ("password" in fields) problems.password = "passwordRejected";
      return problems.email || problems.password ? { kind: "fields", problems } : { kind: "other", code: error.code };
    }
    default:
      return { kind: "other", code: error.code };
  }
}
