// Copies the browser builds of the vendored libraries into wwwroot/lib/: @microsoft/signalr (live notifications) and
// chart.js (the report charts). The copied files are committed so that `dotnet run` works on a fresh clone without
// Node.js; run `npm ci && npm run vendor` after changing a version in package.json, and commit the result.
import { readFileSync, writeFileSync, mkdirSync, copyFileSync } from "node:fs";

// Source maps are not shipped, so a reference to one would only produce 404s in the browser's developer tools.
const withoutSourceMap = (source) => source.replace(/\n\/\/# sourceMappingURL=.*\s*$/, "\n");

{
  const pkg = JSON.parse(readFileSync("node_modules/@microsoft/signalr/package.json", "utf8"));
  const source = readFileSync("node_modules/@microsoft/signalr/dist/browser/signalr.min.js", "utf8");
  const header =
    `/*! @microsoft/signalr ${pkg.version} | (c) .NET Foundation and Contributors | ${pkg.license} License | ` +
    `https://github.com/dotnet/aspnetcore — vendored by src/Frontlijn.Web/vendor.mjs */\n`;
  mkdirSync("wwwroot/lib/signalr", { recursive: true });
  writeFileSync("wwwroot/lib/signalr/signalr.min.js", header + withoutSourceMap(source));
  console.log(`wwwroot/lib/signalr/signalr.min.js <- @microsoft/signalr ${pkg.version}`);
}

{
  const pkg = JSON.parse(readFileSync("node_modules/chart.js/package.json", "utf8"));
  const source = readFileSync("node_modules/chart.js/dist/chart.umd.min.js", "utf8");
  mkdirSync("wwwroot/lib/chartjs", { recursive: true });
  // The file starts with its own licence banner (Chart.js version, MIT, copyright).
  writeFileSync("wwwroot/lib/chartjs/chart.umd.min.js", withoutSourceMap(source));
  copyFileSync("node_modules/chart.js/LICENSE.md", "wwwroot/lib/chartjs/LICENSE.md");
  console.log(`wwwroot/lib/chartjs/chart.umd.min.js <- chart.js ${pkg.version}`);
}
