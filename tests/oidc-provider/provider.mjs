// A real OpenID provider (panva/oidc-provider) for Frontlijn's integration and browser tests. TEST ONLY: any
// password is accepted and accounts are created over an unauthenticated endpoint; it listens on 127.0.0.1 only.
//
//   node provider.mjs --port 45123            (or OIDC_PORT=45123; the issuer is http://127.0.0.1:<port>)
//
// Prints "oidc-provider ready <issuer>" once it listens. Exits when its standard input closes, so a test host that
// dies does not leave it running.
//
// Clients (all authorization code + PKCE S256, client_secret_post, application_type native so that a redirect URI on
// 127.0.0.1 matches on any port, RFC 8252 section 7.3: the web app's Kestrel port is only known after the provider runs):
//   frontlijn-web    redirect http://127.0.0.1/aanmelden/oidc  (the web app's OIDC handler)
//   frontlijn-tests  redirect http://127.0.0.1/callback        (the API tests drive the flow with HttpClient)
//   <API audience>   a client whose client_id IS the API audience, so its ID tokens carry aud = the API: the API must
//                    refuse them for their type (typ JWT, not at+jwt), not merely for their audience.
// Resources (features.resourceIndicators): the API audience (scope "api") and OIDC_OTHER_AUDIENCE (scope "other");
// access tokens for them are JWTs with typ "at+jwt" (RFC 9068) and aud = the resource.
//
// Accounts: PUT /test/accounts/<sub> {preferred_username, name, amr?: [..], acr?, extraClaims?: {..}} creates or
// changes one (so a test can rename someone between two sign-ins); GET /test/accounts lists them. amr and acr go
// into the session (ID token) and into the access token; extraClaims go into both tokens (a hostile IdP's claims).
import * as http from 'node:http';
import Provider, { errors } from 'oidc-provider';

function argument(name) {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : undefined;
}

const port = Number(argument('port') ?? process.env.OIDC_PORT);
if (!Number.isInteger(port) || port <= 0) {
  console.error('usage: node provider.mjs --port <port> (or OIDC_PORT)');
  process.exit(2);
}
const host = '127.0.0.1';
const issuer = `http://${host}:${port}`;
const apiAudience = process.env.OIDC_API_AUDIENCE ?? 'api://frontlijn';
const otherAudience = process.env.OIDC_OTHER_AUDIENCE ?? 'api://elders';
const resources = { [apiAudience]: 'api', [otherAudience]: 'other' };

/** @type {Map<string, {preferred_username: string, name: string, amr?: string[], acr?: string, extraClaims?: object}>} */
const accounts = new Map();

// Frontlijn's own names and the role claims a hostile or misconfigured IdP might send (tests check they grant nothing).
const extraClaimNames = ['role', 'roles', 'frontlijn:uid', 'frontlijn:team', 'frontlijn:org', 'frontlijn:name',
  'http://schemas.microsoft.com/ws/2008/06/identity/claims/role'];

const client = (clientId, secret, redirect) => ({
  client_id: clientId,
  client_secret: secret,
  application_type: 'native',
  redirect_uris: [redirect],
  post_logout_redirect_uris: ['http://127.0.0.1/afmelden/oidc'],
  grant_types: ['authorization_code'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_post',
});

const configuration = {
  clients: [
    client('frontlijn-web', 'frontlijn-web-secret', 'http://127.0.0.1/aanmelden/oidc'),
    client('frontlijn-tests', 'frontlijn-tests-secret', 'http://127.0.0.1/callback'),
    client(apiAudience, 'lookalike-secret', 'http://127.0.0.1/callback'),
  ],
  pkce: { required: () => true },
  cookies: { keys: ['frontlijn-test-provider-only'] },
  claims: { openid: ['sub', 'amr', 'acr'], profile: ['preferred_username', 'name', ...extraClaimNames] },
  // Profile claims in the ID token as well (the code flow would otherwise put them only behind userinfo).
  conformIdTokenClaims: false,
  ttl: { AccessToken: 900, AuthorizationCode: 60, IdToken: 900, Interaction: 600, Session: 3600, Grant: 3600 },
  features: {
    devInteractions: { enabled: false }, // our own login form below: it puts the account's amr into the session
    rpInitiatedLogout: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: (_ctx, _client, oneOf) => oneOf,
      useGrantedResource: () => true,
      getResourceServerInfo: (_ctx, indicator) => {
        if (!(indicator in resources)) throw new errors.InvalidTarget();
        return {
          scope: resources[indicator], audience: indicator, accessTokenFormat: 'jwt', accessTokenTTL: 900,
          jwt: { sign: { alg: 'RS256' } },
        };
      },
    },
  },
  async findAccount(_ctx, sub) {
    const account = accounts.get(sub);
    if (!account) return undefined;
    return {
      accountId: sub,
      async claims() {
        return { sub, preferred_username: account.preferred_username, name: account.name, ...account.extraClaims };
      },
    };
  },
  async extraTokenClaims(_ctx, token) {
    const account = token.accountId ? accounts.get(token.accountId) : undefined;
    if (!account) return undefined;
    return {
      ...account.extraClaims,
      preferred_username: account.preferred_username,
      ...(account.amr ? { amr: account.amr } : {}),
      ...(account.acr ? { acr: account.acr } : {}),
    };
  },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = `<!DOCTYPE html><title>oidc error</title><h1>${escape(out.error)}</h1><p>${escape(out.error_description ?? '')}</p>`;
  },
};

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 64 * 1024) throw new Error('body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const provider = new Provider(issuer, configuration);

// Test-only routes before the provider's own: the account registry and the login form.
provider.use(async (ctx, next) => {
  const accountPath = /^\/test\/accounts\/([^/]+)$/.exec(ctx.path);
  if (accountPath && ctx.method === 'PUT') {
    const body = JSON.parse(await readBody(ctx.req));
    const sub = decodeURIComponent(accountPath[1]);
    accounts.set(sub, {
      preferred_username: String(body.preferred_username ?? sub),
      name: String(body.name ?? sub),
      amr: Array.isArray(body.amr) ? body.amr.map(String) : undefined,
      acr: body.acr == null ? undefined : String(body.acr),
      extraClaims: typeof body.extraClaims === 'object' && body.extraClaims !== null ? body.extraClaims : {},
    });
    ctx.status = 204;
    return;
  }
  if (ctx.path === '/test/accounts' && ctx.method === 'GET') {
    ctx.body = Object.fromEntries(accounts);
    return;
  }

  const interactionPath = /^\/interaction\/([^/]+)$/.exec(ctx.path);
  if (interactionPath && ctx.method === 'GET') {
    const { uid, prompt } = await provider.interactionDetails(ctx.req, ctx.res);
    if (prompt.name !== 'login') ctx.throw(501, `prompt ${prompt.name} is not implemented`);
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'html';
    ctx.body = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Test identity provider: sign in</title></head>
<body><h1>Test identity provider</h1>
<form method="post" action="/interaction/${escape(uid)}">
<label>Username <input name="login" autocomplete="off" autofocus></label>
<label>Password <input name="password" type="password"></label>
<button type="submit">Sign in</button></form></body></html>`;
    return;
  }
  if (interactionPath && ctx.method === 'POST') {
    const form = new URLSearchParams(await readBody(ctx.req));
    const login = (form.get('login') ?? '').trim();
    // By subject or by the current preferred_username, as a real IdP lets people sign in with their login name.
    const sub = accounts.has(login)
      ? login
      : [...accounts].find(([, a]) => a.preferred_username === login)?.[0];
    if (!sub) {
      ctx.status = 400;
      ctx.type = 'html';
      ctx.body = `<!DOCTYPE html><title>unknown account</title><h1>Unknown account ${escape(login)}</h1>`;
      return;
    }
    const account = accounts.get(sub);
    // Consent is implied (a test provider): the grant holds the scopes and resources the request asked for. (A
    // native client is always prompted for consent otherwise, RFC 8252 section 8.6.)
    const { params } = await provider.interactionDetails(ctx.req, ctx.res);
    const grant = new provider.Grant({ clientId: params.client_id, accountId: sub });
    const scope = params.scope ?? 'openid';
    grant.addOIDCScope(scope);
    grant.addOIDCClaims(['preferred_username', 'name', ...extraClaimNames]);
    for (const resource of params.resource === undefined ? [] : [params.resource].flat()) {
      grant.addResourceScope(resource, scope);
    }
    const grantId = await grant.save();
    const returnTo = await provider.interactionResult(ctx.req, ctx.res, {
      consent: { grantId },
      login: {
        accountId: sub,
        ...(account.amr ? { amr: account.amr } : {}),
        ...(account.acr ? { acr: account.acr } : {}),
      },
    }, { mergeWithLastSubmission: false });
    ctx.status = 303;
    ctx.redirect(returnTo);
    return;
  }
  await next();
});

const server = http.createServer(provider.callback());
server.listen(port, host, () => {
  console.log(`oidc-provider ready ${issuer}`);
});
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
