/**
 * The "Allow Sight to access your account?" page of a CRM fake. Plain server-rendered HTML, no
 * scripts or external assets, so a Playwright test can click Allow offline. Allow redirects to
 * redirect_uri with `code` and `state`; Deny with `error=access_denied` and `state`, as RFC 6749
 * §4.1.2 says.
 */
import type { AuthorizationServer, AuthorizeRequest } from "./oauth";
import type { FakeRoute } from "./server";

function escape(text: unknown): string {
  return String(text ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title><style>
  body { font: 16px/1.5 system-ui, sans-serif; background: #f5f8fa; margin: 0; }
  main { max-width: 26rem; margin: 4rem auto; background: #fff; padding: 2rem; border-radius: 8px; }
  button { padding: .6rem 1.4rem; margin-right: .6rem; font-size: 1rem; border-radius: 4px; cursor: pointer; }
  .allow { background: #ff7a59; color: #fff; border: 0; } .error { color: #b00020; }
</style></head><body><main>${body}</main></body></html>`;
}

function html(status: number, body: string) {
  return { status, body, headers: { "content-type": "text/html; charset=utf-8" } };
}

function redirectTo(request: AuthorizeRequest, params: Record<string, string>) {
  const target = new URL(request.redirectUri);
  for (const [name, value] of Object.entries(params)) target.searchParams.set(name, value);
  if (request.state) target.searchParams.set("state", request.state);
  return { status: 302, body: "", headers: { location: target.toString() } };
}

/** GET shows the page for the query's authorization request; POST (the form) decides. */
export function consentRoutes(options: {
  path: RegExp;
  /** "HubSpot", "Salesforce": shown on the page and used in the test ids (`hubspot-fake-allow`). */
  provider: string;
  oauth: AuthorizationServer;
  account: string;
}): FakeRoute[] {
  const id = options.provider.toLowerCase();
  return [
    {
      method: "GET",
      path: options.path,
      name: "oauth.authorize",
      api: false,
      handle: ({ url }) => {
        const request = options.oauth.parseAuthorize(url.searchParams);
        if ("error" in request)
          return html(
            400,
            page("Authorization error", `<p class="error" data-testid="${id}-fake-error">${escape(request.error)}</p>`),
          );
        const hidden = [...url.searchParams]
          .map(([name, value]) => `<input type="hidden" name="${escape(name)}" value="${escape(value)}">`)
          .join("");
        return html(
          200,
          page(
            `Connect to ${options.provider}`,
            `<h1>Allow Sight to access ${escape(options.account)}?</h1>
             <p>Sight asks for: <code data-testid="${id}-fake-scope">${escape(request.scope || "(default)")}</code></p>
             <form method="post">${hidden}
               <button class="allow" name="decision" value="allow" data-testid="${id}-fake-allow">Allow</button>
               <button name="decision" value="deny" data-testid="${id}-fake-deny">Deny</button>
             </form>`,
          ),
        );
      },
    },
    {
      method: "POST",
      path: options.path,
      name: "oauth.consent",
      api: false,
      handle: async ({ form }) => {
        const fields = await form();
        const request = options.oauth.parseAuthorize(fields);
        if ("error" in request)
          return html(400, page("Authorization error", `<p class="error">${escape(request.error)}</p>`));
        if (fields.get("decision") !== "allow") return redirectTo(request, { error: "access_denied" });
        return redirectTo(request, { code: options.oauth.approve(request) });
      },
    },
  ];
}
