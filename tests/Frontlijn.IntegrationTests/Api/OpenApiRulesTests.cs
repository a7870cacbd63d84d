using System.Collections;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Frontlijn.IntegrationTests.Api;

/// <summary>
/// The published OpenAPI document against the NL API Design Rules as the Logius ADR linter (Spectral ruleset,
/// rules <c>nlgov:*</c>) checks them. Each test names the rule it implements; every message names the offending
/// path and operation. The document does not depend on the database, but it runs on every provider of the matrix.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed partial class OpenApiRulesTests(ProviderApps apps)
{
    private async Task<(TestApp App, ApiDocument Document)> LoadAsync(string provider)
    {
        var app = await apps.ResetAsync(provider);
        return (app, await ApiDocument.LoadAsync(app));
    }

    private static void NoViolations(string rule, IEnumerable<string> violations)
    {
        var list = violations.ToList();
        Assert.True(list.Count == 0, $"{rule}: {list.Count} violation(s):\n  " + string.Join("\n  ", list));
    }

    // nlgov:openapi3, nlgov:openapi-root-exists; /core/publish-openapi
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task OpenApi_Document_IsPublicJson_InOpenApi30(string provider)
    {
        var (_, document) = await LoadAsync(provider);
        var version = document.Root["openapi"]?.GetValue<string>();
        Assert.True(version is not null, "The document has no 'openapi' property");
        Assert.StartsWith("3.0", version, StringComparison.Ordinal);
        Assert.Matches(OpenApi3Version(), version);
        Assert.NotEmpty(document.Operations);
        Assert.True(document.Response.Headers.TryGetValues("API-Version", out var header), "API-Version header missing on the document");
        Assert.Equal(WebConventions.ApiVersion, header.Single());
    }

    // /core/publish-openapi: the document lives at <server URL>/openapi.json
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task OpenApi_Document_IsPublishedAtOpenApiJson_UnderTheServerUrl(string provider)
    {
        var (_, document) = await LoadAsync(provider);
        Assert.Equal(OpenApiConventions.DocumentPath, document.ServerUrl.AbsolutePath.TrimEnd('/') + "/openapi.json");
    }

    // oas3-api-servers, nlgov:servers-use-https, nlgov:include-major-version-in-uri, nlgov:servers-at-least-one-absolute
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task OpenApi_Servers_AreTheHttpsPublicBaseUrl_WithTheMajorVersion(string provider)
    {
        var (app, document) = await LoadAsync(provider);
        var servers = document.Root["servers"] as JsonArray;
        Assert.True(servers is { Count: > 0 }, "The document has no servers entry");
        var urls = servers.Select(s => s?["url"]?.GetValue<string>() ?? "").ToList();
        var pathServers = document.Operations
            .SelectMany(o => (o.Operation["servers"] as JsonArray ?? []).Concat(o.PathItem["servers"] as JsonArray ?? [])
                .Select(s => (Where: o.Name, Url: s?["url"]?.GetValue<string>() ?? "")));
        NoViolations("nlgov:servers-use-https", urls.Select(u => (Where: "servers", Url: u)).Concat(pathServers)
            .Where(s => !s.Url.StartsWith("https://", StringComparison.Ordinal))
            .Select(s => $"{s.Where}: {s.Url} is not https"));
        NoViolations("nlgov:include-major-version-in-uri", urls.Where(u => !MajorVersion().IsMatch(u)).Select(u => $"servers: {u}"));
        NoViolations("servers end in the API base", urls.Where(u => !u.EndsWith(WebConventions.ApiBase, StringComparison.Ordinal))
            .Select(u => $"servers: {u} does not end in {WebConventions.ApiBase}"));
        Assert.Contains(urls, u => Uri.TryCreate(u, UriKind.Absolute, out _));

        var configured = app.Services.GetRequiredService<IConfiguration>()["Api:PublicBaseUrl"];
        Assert.False(string.IsNullOrWhiteSpace(configured), "Api:PublicBaseUrl is not configured");
        Assert.Equal(configured.TrimEnd('/') + WebConventions.ApiBase, urls[0]);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task OpenApi_Servers_FollowTheConfiguredPublicBaseUrl(string provider)
    {
        var app = await apps.ResetAsync(provider);
        await using var elsewhere = app.WithWebHostBuilder(b => b.UseSetting("Api:PublicBaseUrl", "https://frontlijn.gemeente.example/"));
        using var client = elsewhere.CreateClient();
        var document = JsonNode.Parse(await client.GetStringAsync(OpenApiConventions.DocumentPath))!;
        Assert.Equal("https://frontlijn.gemeente.example/api/v1", document["servers"]![0]!["url"]!.GetValue<string>());
    }

    // info-contact, nlgov:info-contact-fields-exist
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task OpenApi_Info_HasAContact_WithNameUrlAndEmail(string provider)
    {
        var (_, document) = await LoadAsync(provider);
        var contact = document.Root["info"]?["contact"] as JsonObject;
        Assert.True(contact is not null, "info.contact is missing");
        Assert.False(string.IsNullOrWhiteSpace(contact["name"]?.GetValue<string>()), "info.contact.name is missing");
        Assert.True(Uri.TryCreate(contact["url"]?.GetValue<string>(), UriKind.Absolute, out _), "info.contact.url is missing or not absolute");
        Assert.Matches(@"^[^@\s]+@[^@\s]+\.[^@\s]+$", contact["email"]?.GetValue<string>() ?? "");
    }

    // nlgov:semver; /core/version-header (the header carries the same full version)
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task OpenApi_Info_Version_IsSemver_AndTheApiVersionHeader(string provider)
    {
        var (_, document) = await LoadAsync(provider);
        var version = document.Root["info"]?["version"]?.GetValue<string>() ?? "";
        Assert.Matches(Semver(), version);
        Assert.Equal(WebConventions.ApiVersion, version);
    }

    // nlgov:missing-header, nlgov:missing-version-header
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task OpenApi_EverySuccessResponse_HasTheApiVersionHeader(string provider)
    {
        var (_, document) = await LoadAsync(provider);
        var success = document.Responses.Where(r => SuccessOrRedirect().IsMatch(r.Status)).ToList();
        Assert.NotEmpty(success);
        NoViolations("nlgov:missing-version-header", success
            .Where(r => r.Response["headers"] is not JsonObject headers || headers["API-Version"] is null)
            .Select(r => $"{r.Operation.Name} → {r.Status} has no API-Version header"));
    }

    // nlgov:use-problem-schema, nlgov:problem-schema-members
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task OpenApi_EveryProblemResponse_IsProblemJson(string provider)
    {
        var (_, document) = await LoadAsync(provider);
        var problems = document.Responses.Where(r => ClientOrServerError().IsMatch(r.Status)).ToList();
        Assert.NotEmpty(problems);
        var violations = new List<string>();
        foreach (var (operation, status, response) in problems)
        {
            var content = response["content"] as JsonObject;
            if (content?["application/problem+json"] is not JsonObject problemJson)
            {
                violations.Add($"{operation.Name} → {status} is not application/problem+json (content: {string.Join(", ", content?.Select(c => c.Key) ?? [])})");
                continue;
            }
            var others = content.Select(c => c.Key).Where(k => k is not "application/problem+json" and not "application/problem+xml").ToList();
            if (others.Count > 0)
            {
                violations.Add($"{operation.Name} → {status} also offers {string.Join(", ", others)}");
            }
            var properties = document.Resolve(problemJson["schema"])?["properties"] as JsonObject;
            var missing = new[] { "status", "title", "detail" }.Where(p => properties?[p] is null).ToList();
            if (missing.Count > 0)
            {
                violations.Add($"{operation.Name} → {status}: the problem schema lacks {string.Join(", ", missing)}");
            }
        }
        NoViolations("nlgov:use-problem-schema / nlgov:problem-schema-members", violations);
    }

    // nlgov:problem-invalid-input
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task OpenApi_EveryOperationThatTakesInput_CanAnswer400(string provider)
    {
        var (_, document) = await LoadAsync(provider);
        NoViolations("nlgov:problem-invalid-input", document.Operations
            .Where(o => o.TakesBody || (o.Method is "get" or "delete" && document.Parameters(o).Any()))
            .Where(o => o.Operation["responses"]?["400"] is null)
            .Select(o => $"{o.Name} has no 400 response"));
    }

    // nlgov:paths-kebab-case (path parameters in camelCase)
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task OpenApi_Paths_AreKebabCase_WithCamelCaseParameters(string provider)
    {
        var (_, document) = await LoadAsync(provider);
        var paths = document.Paths.Select(p => p.Key).Where(p => !OpenApiFile().IsMatch(p)).ToList();
        NoViolations("nlgov:paths-kebab-case", paths.Where(p => !KebabPath().IsMatch(p)).Select(p => $"{p} is not kebab-case"));
        NoViolations("path parameters are camelCase", paths
            .SelectMany(p => PathParameter().Matches(p).Select(m => (Path: p, Name: m.Groups["name"].Value)))
            .Where(p => !CamelCase().IsMatch(p.Name))
            .Select(p => $"{p.Path}: {{{p.Name}}} is not camelCase"));
    }

    // nlgov:paths-no-trailing-slash; /core/uri-version (the version is in the server URL, so paths are relative to it)
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task OpenApi_Paths_HaveNoTrailingSlash_AndAreRelativeToTheServer(string provider)
    {
        var (_, document) = await LoadAsync(provider);
        var paths = document.Paths.Select(p => p.Key).ToList();
        NoViolations("nlgov:paths-no-trailing-slash", paths.Where(p => p.Length > 1 && p.EndsWith('/')).Select(p => $"{p} ends with a slash"));
        NoViolations("paths are relative to the server", paths
            .Where(p => !p.StartsWith('/') || p.StartsWith(WebConventions.ApiBase + "/", StringComparison.Ordinal) || p == WebConventions.ApiBase)
            .Select(p => $"{p} repeats the server's base path (or does not start with /)"));
    }

    // nlgov:query-keys-camel-case
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task OpenApi_QueryParameters_AreCamelCase(string provider)
    {
        var (_, document) = await LoadAsync(provider);
        var query = document.Operations
            .SelectMany(o => document.Parameters(o).Where(p => p["in"]?.GetValue<string>() == "query")
                .Select(p => (Where: o.Name, Name: p["name"]?.GetValue<string>() ?? "")))
            .Concat((document.Root["components"]?["securitySchemes"] as JsonObject ?? [])
                .Where(s => s.Value?["in"]?.GetValue<string>() == "query")
                .Select(s => (Where: $"securityScheme {s.Key}", Name: s.Value?["name"]?.GetValue<string>() ?? "")))
            .ToList();
        NoViolations("nlgov:query-keys-camel-case", query.Where(q => !QueryKey().IsMatch(q.Name)).Select(q => $"{q.Where}: ?{q.Name} is not lower camelCase"));
    }

    // nlgov:http-methods
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task OpenApi_Operations_UseOnlyStandardHttpMethods(string provider)
    {
        var (_, document) = await LoadAsync(provider);
        string[] allowed = ["get", "post", "put", "patch", "delete", "parameters", "summary", "description", "servers"];
        NoViolations("nlgov:http-methods", document.Paths
            .SelectMany(p => (document.Resolve(p.Value) as JsonObject ?? []).Select(k => (Path: p.Key, Key: k.Key)))
            .Where(p => !allowed.Contains(p.Key, StringComparer.Ordinal))
            .Select(p => $"{p.Path}: '{p.Key}' is not a standard method"));
    }

    // nlgov:schema-camel-case (component schema names in UpperCamelCase)
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task OpenApi_SchemaNames_AreUpperCamelCase(string provider)
    {
        var (_, document) = await LoadAsync(provider);
        var names = (document.Root["components"]?["schemas"] as JsonObject ?? []).Select(s => s.Key).ToList();
        NoViolations("nlgov:schema-camel-case", names.Where(n => !PascalCase().IsMatch(n)).Select(n => $"components.schemas.{n}"));
    }

    // nlgov:date-time-ensure-timezone, nlgov:time-without-timezone, nlgov:specify-format-for-date-and-time,
    // nlgov:use-date-instead-of-datetime
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task OpenApi_DatesAndTimes_UseTheRightFormats(string provider)
    {
        var (_, document) = await LoadAsync(provider);
        var violations = new List<string>();
        foreach (var (where, properties) in PropertiesObjects(document.Root, "$"))
        {
            foreach (var (name, value) in properties)
            {
                if (value is not JsonObject property) continue;
                var format = property["format"] is JsonValue f && f.TryGetValue<string>(out var text) ? text : null;
                if (format == "date-time-local") violations.Add($"{where}.{name}: date-time-local has no time zone (nlgov:date-time-ensure-timezone)");
                if (format == "time") violations.Add($"{where}.{name}: use time-local, not time (nlgov:time-without-timezone)");
                if (name is "date" or "datum" || DateName().IsMatch(name))
                {
                    var formats = (property["allOf"] as JsonArray ?? []).Select(a => a?["format"]).Append(property["format"]).OfType<JsonValue>()
                        .Select(v => v.GetValue<string>()).ToList();
                    if (formats.Count == 0 && property["$ref"] is null)
                    {
                        violations.Add($"{where}.{name}: a date field must set format 'date' (nlgov:specify-format-for-date-and-time)");
                    }
                    if (formats.Contains("date-time"))
                    {
                        violations.Add($"{where}.{name}: a date field must use format 'date', not 'date-time' (nlgov:use-date-instead-of-datetime)");
                    }
                }
            }
        }
        NoViolations("nlgov date and time rules", violations);
    }

    /// <summary>
    /// Not a Spectral rule but what makes the document worth publishing: each request and response body is described
    /// by the schema of its own type. (Types with the same short name, such as every slice's nested
    /// <c>Command</c>, must not share one schema.)
    /// </summary>
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task OpenApi_EveryBodySchema_DescribesItsOwnType(string provider)
    {
        var (app, document) = await LoadAsync(provider);
        var descriptions = app.Services.GetRequiredService<IApiDescriptionGroupCollectionProvider>().ApiDescriptionGroups.Items
            .SelectMany(g => g.Items)
            .Where(d => d.RelativePath?.StartsWith(WebConventions.ApiBase[1..] + "/", StringComparison.Ordinal) == true)
            .ToList();
        Assert.NotEmpty(descriptions);
        var violations = new List<string>();
        var checkedBodies = 0;
        foreach (var description in descriptions)
        {
            var path = RouteConstraint().Replace("/" + description.RelativePath![WebConventions.ApiBase.Length..].TrimEnd('/'), "{${name}}");
            var name = $"{description.HttpMethod} {path}";
            var operation = document.Paths[path]?[description.HttpMethod!.ToLowerInvariant()] as JsonObject;
            if (operation is null)
            {
                violations.Add($"{name} is an endpoint but not in the document");
                continue;
            }
            foreach (var body in description.ParameterDescriptions.Where(p => p.Source == BindingSource.Body))
            {
                checkedBodies++;
                // JSON, or a JSON-based type such as application/merge-patch+json (PATCH).
                var content = operation["requestBody"]?["content"] as JsonObject;
                var schema = (content?["application/json"]
                    ?? content?.FirstOrDefault(c => c.Key.EndsWith("+json", StringComparison.Ordinal)).Value)?["schema"];
                CompareSchema(document, body.Type, schema, $"{name} request body", violations, depth: 0);
            }
            foreach (var response in description.SupportedResponseTypes.Where(r => r.StatusCode is >= 200 and < 300 && r.Type is not null && r.Type != typeof(void)))
            {
                checkedBodies++;
                var schema = operation["responses"]?[response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)]?["content"]?["application/json"]?["schema"];
                CompareSchema(document, response.Type!, schema, $"{name} → {response.StatusCode}", violations, depth: 0);
            }
        }
        Assert.True(checkedBodies > 0, "No request or response bodies were compared");
        NoViolations("body schemas", violations);
    }

    private static void CompareSchema(ApiDocument document, Type type, JsonNode? schemaNode, string where, List<string> violations, int depth)
    {
        if (depth > 6) return;
        var schema = document.Resolve(schemaNode) as JsonObject;
        if (schema is null)
        {
            violations.Add($"{where}: no schema for {type.Name}");
            return;
        }
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (IsScalar(type)) return;
        if (type != typeof(string) && type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>)) is { } enumerable)
        {
            if (typeof(IDictionary).IsAssignableFrom(type) || type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>))) return;
            CompareSchema(document, enumerable.GetGenericArguments()[0], schema["items"], where + "[]", violations, depth + 1);
            return;
        }
        var expected = type.GetProperties(BindingFlags.Instance | BindingFlags.Public)
            .Where(p => p.GetIndexParameters().Length == 0 && p.GetCustomAttribute<JsonIgnoreAttribute>() is not { Condition: JsonIgnoreCondition.Always })
            .ToDictionary(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? char.ToLowerInvariant(p.Name[0]) + p.Name[1..], p => p.PropertyType);
        var actual = (schema["properties"] as JsonObject ?? []).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        if (!actual.SetEquals(expected.Keys))
        {
            violations.Add($"{where}: the schema has [{string.Join(", ", actual.Order())}] but {type.FullName} has [{string.Join(", ", expected.Keys.Order())}]");
            return;
        }
        foreach (var (name, propertyType) in expected)
        {
            CompareSchema(document, propertyType, schema["properties"]![name], $"{where}.{name}", violations, depth + 1);
        }
    }

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(Guid) ||
        type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(DateOnly) || type == typeof(TimeOnly) ||
        type == typeof(TimeSpan) || type == typeof(Uri) || type == typeof(object) || type == typeof(JsonNode) || type.IsSubclassOf(typeof(JsonNode)) ||
        type == typeof(System.Text.Json.JsonElement);

    /// <summary>Every "properties" object in the document, with where it is (Spectral's <c>$..properties</c>).</summary>
    private static IEnumerable<(string Where, JsonObject Properties)> PropertiesObjects(JsonNode? node, string where)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    if (key == "properties" && value is JsonObject properties) yield return (where, properties);
                    foreach (var inner in PropertiesObjects(value, $"{where}.{key}")) yield return inner;
                }
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    foreach (var inner in PropertiesObjects(a[i], $"{where}[{i}]")) yield return inner;
                }
                break;
        }
    }

    [GeneratedRegex(@"^3(\.\d+){1,2}$")]
    private static partial Regex OpenApi3Version();

    [GeneratedRegex(@"\/v\d")]
    private static partial Regex MajorVersion();

    [GeneratedRegex(@"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$")]
    private static partial Regex Semver();

    [GeneratedRegex(@"^[23]\d\d$")]
    private static partial Regex SuccessOrRedirect();

    [GeneratedRegex(@"^[45]\d\d$")]
    private static partial Regex ClientOrServerError();

    [GeneratedRegex(@"\/openapi\.(json|yaml)$")]
    private static partial Regex OpenApiFile();

    // The pattern of nlgov:paths-kebab-case.
    [GeneratedRegex(@"^(\/|(\/_[a-z0-9]+|\/(([a-z0-9\-]+|{[^}]+})(\/([a-z0-9\-\.]+|{[^}]+}))*)(\/_[a-z]+)?)\/?)$")]
    private static partial Regex KebabPath();

    [GeneratedRegex(@"{(?<name>[^}]+)}")]
    private static partial Regex PathParameter();

    [GeneratedRegex(@"{(?<name>\w+)[:?*][^}]*}")]
    private static partial Regex RouteConstraint();

    [GeneratedRegex(@"^[a-z][a-zA-Z0-9]*$")]
    private static partial Regex CamelCase();

    // The pattern of nlgov:query-keys-camel-case.
    [GeneratedRegex(@"^\$?[a-z][a-z\d]*([A-Z][a-z\d]*)*$")]
    private static partial Regex QueryKey();

    [GeneratedRegex(@"^[A-Z][a-zA-Z0-9]*$")]
    private static partial Regex PascalCase();

    // The property-name pattern of nlgov:specify-format-for-date-and-time (unanchored, as in the ruleset).
    [GeneratedRegex(@"((\w+D)|(_[dD]))((ate)|(atum))")]
    private static partial Regex DateName();
}
