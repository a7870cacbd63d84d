// Copies the browser build of @microsoft/signalr into wwwroot/lib/signalr/. The copied file is committed so that
// `dotnet run` works on a fresh clone without Node.js; run `npm ci && npm run vendor` after changing the version in
// package.json, and commit the result.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";

const pkg = JSON.parse(readFileSync("node_modules/@microsoft/signalr/package.json", "utf8"));
const source = readFileSync("node_modules/@microsoft/signalr/dist/browser/signalr.min.js", "utf8");
// The source map is not shipped, so the reference to it would only produce 404s in the browser's developer tools.
const body = source.replace(/\n\/\/# sourceMappingURL=.*\s*$/, "\n");
const header =
  `/*! @microsoft/signalr ${pkg.version} | (c) .NET Foundation and Contributors | ${pkg.license} License | ` +
  `https://github.com/dotnet/aspnetcore — vendored by src/Frontlijn.Web/vendor.mjs */\n`;
mkdirSync("wwwroot/lib/signalr", { recursive: true });
writeFileSync("wwwroot/lib/signalr/signalr.min.js", header + body);
console.log(`wwwroot/lib/signalr/signalr.min.js <- @microsoft/signalr ${pkg.version}`);
