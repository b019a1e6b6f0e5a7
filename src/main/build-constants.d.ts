/**
 * Values electron-vite writes into the desktop build (electron.vite.config.ts `define`). They do
 * not exist under plain Node (headless host, tests): read them only through `typeof` guards.
 */

/** JSON: one public Ed25519 JWK or an array of them, trusted to sign licences; "" when none. */
declare const __SIGHT_LICENCE_PUBLIC_KEYS__: string;
/** The Sight Cloud this build talks to by default; "" when none. */
declare const __SIGHT_CLOUD_URL__: string;
