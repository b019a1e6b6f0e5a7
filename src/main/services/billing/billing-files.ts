import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { writeFileAtomic } from "../fs/atomic-write";
import type { Logger } from "../logger";

/**
 * What billing keeps in the data folder. Neither file is a secret on its own: the licence is
 * signed (so editing it only makes it invalid) and is re-verified at every load; the account is
 * just the email shown in the app. The refresh token lives in the encrypted secret store.
 */
export const LICENCE_FILE = "licence.jwt";
export const ACCOUNT_FILE = "cloud-account.json";

const accountSchema = z.object({ id: z.string().min(1), email: z.string().min(1) });
export type StoredAccount = z.infer<typeof accountSchema>;

export interface BillingFiles {
  readLicence(): string | null;
  writeLicence(jwt: string): void;
  readAccount(): StoredAccount | null;
  writeAccount(account: StoredAccount): void;
  removeLicence(): void;
  removeAccount(): void;
}

export function createBillingFiles(dataDir: string, logger: Logger): BillingFiles {
  const licenceFile = path.join(dataDir, LICENCE_FILE);
  const accountFile = path.join(dataDir, ACCOUNT_FILE);
  const read = (file: string): string | null => {
    try {
      return fs.readFileSync(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  };
  return {
    readLicence: () => read(licenceFile)?.trim() ?? null,
    writeLicence: (jwt) => writeFileAtomic(licenceFile, jwt, 0o600),
    readAccount() {
      const text = read(accountFile);
      if (text === null) return null;
      try {
        const parsed = accountSchema.safeParse(JSON.parse(text));
        if (parsed.success) return parsed.data;
      } catch {
        // A damaged file falls through to the warning below.
      }
      // Only the email shown in the app is lost; the next sign-in or refresh writes it again.
      logger.warn("billing.account_file_unreadable", { file: accountFile });
      return null;
    },
    writeAccount: (account) => writeFileAtomic(accountFile, JSON.stringify(account), 0o600),
    removeLicence: () => fs.rmSync(licenceFile, { force: true }),
    removeAccount: () => fs.rmSync(accountFile, { force: true }),
  };
}
