using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Microsoft.Extensions.DependencyInjection;

namespace Frontlijn.IntegrationTests.Api;

/// <summary>
/// SPEC, bad input and faults: every endpoint answers invalid, mistyped, oversized or unauthorised input with a 4xx
/// problem+json that says what is wrong, changes nothing, and never answers 500. The endpoints come from the
/// published OpenAPI document, so a new endpoint is covered the moment it is mapped. Deterministic (fixed seed) and
/// bounded (a fixed set of requests per operation and caller).
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class MalformedInputTests(ProviderApps apps)
{
    private const int Seed = 20260302;
    private const string NotAGuid = "not-a-guid";
    private static readonly string LongString = new('x', 100_000);
    private static readonly byte[] OversizedBody = Encoding.UTF8.GetBytes(
        "{\"name\":\"" + new string('x', (int)WebConventions.MaxRequestBodyBytes + 64 * 1024) + "\"}");

    private static readonly (string Label, string Body)[] MalformedJson =
    [
        ("empty body", ""), ("truncated JSON", "{"), ("an array", "[]"), ("null", "null"), ("a string", "\"x\""),
        ("an unknown property only", "{\"unknown\":1}"),
    ];

    private static readonly string[] MalformedQueries =
        ["page=0", "pageSize=-1", "pageSize=abc", $"teamId={NotAGuid}", "page=2147483647&pageSize=200", "page=99999999999"];

    /// <summary>One request of the stream.</summary>
    private sealed record Probe(string Method, string Url, string Label, Func<HttpContent?> Content, bool LargeBody = false)
    {
        public HttpRequestMessage Build()
        {
            var request = new HttpRequestMessage(new HttpMethod(Method.ToUpperInvariant()), Url) { Content = Content() };
            if (LargeBody)
            {
                // As a careful client sends a large body: it waits for 100-continue (a server that answers 401/413 at
                // once never receives the body) and does not reuse the connection (Kestrel closes one whose body it
                // did not read, without saying so in the answer already sent).
                request.Headers.ExpectContinue = true;
                request.Headers.ConnectionClose = true;
            }
            return request;
        }

        public override string ToString() => $"{Method.ToUpperInvariant()} {(Url.Length > 120 ? Url[..120] + "…" : Url)} [{Label}]";
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task MalformedRequests_ToEveryEndpoint_Yield4xxProblemJson_NeverA500_AndChangeNothing(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var scenario = await Scenario.CreateAsync(app);
        var document = await ApiDocument.LoadAsync(app);
        var random = new Random(Seed);
        var someId = new Guid(Enumerable.Range(0, 16).Select(_ => (byte)random.Next(256)).ToArray());
        var basePath = document.ServerUrl.AbsolutePath.TrimEnd('/');
        var before = await RowCountsAsync(app);

        var callers = new (string Name, HttpClient Client)[]
        {
            ("admin", app.ClientFor("admin")), ("coach", app.ClientFor(scenario.Coach)), ("anonymous", app.ClientFor(null)),
        };
        var failures = new List<string>();
        var acceptedWrites = new List<string>();
        var sent = 0;
        var statuses = new SortedSet<int>();
        foreach (var operation in document.Operations)
        {
            var variants = operation.Path.Contains('{', StringComparison.Ordinal)
                ? new[] { (Path: WithParameters(operation.Path, someId.ToString()), Full: true), (Path: WithParameters(operation.Path, NotAGuid), Full: false) }
                : [(Path: operation.Path, Full: true)];
            foreach (var (path, full) in variants)
            {
                foreach (var (caller, client) in callers)
                {
                    foreach (var probe in Probes(document, operation, basePath + path, full && caller != "anonymous", someId))
                    {
                        using var request = probe.Build();
                        sent++;
                        HttpResponseMessage response;
                        try
                        {
                            response = await client.SendAsync(request);
                        }
                        catch (HttpRequestException ex)
                        {
                            failures.Add($"{caller} {probe}: no answer ({ex.Message} {ex.InnerException?.Message})");
                            continue;
                        }
                        using var _ = response;
                        statuses.Add((int)response.StatusCode);
                        if (await ViolationAsync(response) is { } violation)
                        {
                            failures.Add($"{caller} {probe}: {violation}");
                        }
                        if (response.IsSuccessStatusCode && operation.Method != "get")
                        {
                            acceptedWrites.Add($"{caller} {probe}: {(int)response.StatusCode}");
                        }
                    }
                }
            }
        }
        foreach (var (_, client) in callers) client.Dispose();

        Assert.True(sent >= 100, $"Only {sent} requests were sent; is the OpenAPI document empty?");
        Assert.True(failures.Count == 0,
            $"{failures.Count} of {sent} malformed requests were not answered with a 4xx problem+json:\n  " +
            string.Join("\n  ", failures.Take(60)) + (failures.Count > 60 ? $"\n  … and {failures.Count - 60} more" : ""));
        // The stream met every kind of refusal: invalid (400), anonymous (401), wrong role (403), unknown (404),
        // oversized (413) and wrong content type (415).
        Assert.Superset(new SortedSet<int> { 400, 401, 403, 404, 413, 415 }, statuses);
        var after = await RowCountsAsync(app);
        var changed = before.Keys.Union(after.Keys)
            .Where(t => before.GetValueOrDefault(t) != after.GetValueOrDefault(t))
            .Select(t => $"{t}: {before.GetValueOrDefault(t)} → {after.GetValueOrDefault(t)}")
            .ToList();
        Assert.True(changed.Count == 0,
            $"Malformed requests changed data ({string.Join(", ", changed)}). Requests that were accepted:\n  " + string.Join("\n  ", acceptedWrites));
    }

    private static string WithParameters(string path, string value) =>
        System.Text.RegularExpressions.Regex.Replace(path, "{[^}]+}", Uri.EscapeDataString(value));

    /// <summary>The bounded set of malformed requests for one operation at one URL.</summary>
    private static IEnumerable<Probe> Probes(ApiDocument document, ApiOperation operation, string url, bool full, Guid someId)
    {
        var method = operation.Method;
        foreach (var query in MalformedQueries)
        {
            yield return new Probe(method, $"{url}?{query}", $"query {query}", () => null);
        }
        if (method == "get")
        {
            yield break;
        }
        yield return new Probe(method, url, "no body", () => null);
        foreach (var (label, body) in MalformedJson)
        {
            yield return new Probe(method, url, label, () => Json(body));
        }
        yield return new Probe(method, url, "text/plain", () => new StringContent("{}", Encoding.UTF8, "text/plain"));
        yield return new Probe(method, url, $"body over {WebConventions.MaxRequestBodyBytes} bytes", () =>
        {
            var content = new ByteArrayContent(OversizedBody);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            return content;
        }, LargeBody: true);
        if (!full || document.RequestSchema(operation) is not { } schema)
        {
            yield break;
        }
        var template = Template(document, schema, someId, depth: 0) as JsonObject ?? [];
        foreach (var (pathToProperty, propertySchema) in Properties(document, schema, [], depth: 0))
        {
            var where = string.Concat(pathToProperty.Select(s => s is int i ? $"[{i}]" : $".{s}")).TrimStart('.');
            var wrong = WrongType(propertySchema);
            var mistyped = With(template, pathToProperty, wrong).ToJsonString();
            yield return new Probe(method, url, $"{where} as {Describe(wrong)}", () => Json(mistyped));
            var asNull = With(template, pathToProperty, null).ToJsonString();
            yield return new Probe(method, url, $"{where} as null", () => Json(asNull));
            switch (ApiDocument.TypeOf(propertySchema))
            {
                case "string":
                    var tooLong = With(template, pathToProperty, JsonValue.Create(LongString)).ToJsonString();
                    yield return new Probe(method, url, $"{where} of {LongString.Length} characters", () => Json(tooLong));
                    break;
                case "integer" or "number":
                    var tooBig = With(template, pathToProperty, JsonValue.Create(1e30)).ToJsonString();
                    yield return new Probe(method, url, $"{where} as 1e30", () => Json(tooBig));
                    break;
                case "array":
                    var nullItem = With(template, [.. pathToProperty, 0], null).ToJsonString();
                    yield return new Probe(method, url, $"{where}[0] as null", () => Json(nullItem));
                    break;
            }
        }
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>A body of the right shape: every property present with a plausible value of its type.</summary>
    private static JsonNode? Template(ApiDocument document, JsonObject? schema, Guid someId, int depth)
    {
        schema = document.Resolve(schema) as JsonObject;
        if (schema is null || depth > 4) return null;
        if (schema["enum"] is JsonArray { Count: > 0 } values) return values[0]?.DeepClone();
        return ApiDocument.TypeOf(schema) switch
        {
            "object" => new JsonObject((schema["properties"] as JsonObject ?? [])
                .Select(p => KeyValuePair.Create(p.Key, Template(document, p.Value as JsonObject, someId, depth + 1)))),
            "array" => new JsonArray(Template(document, schema["items"] as JsonObject, someId, depth + 1)),
            "integer" or "number" => JsonValue.Create(1),
            "boolean" => JsonValue.Create(true),
            "string" => (schema["format"]?.GetValue<string>()) switch
            {
                "uuid" => JsonValue.Create(someId.ToString()),
                "date" => JsonValue.Create("2026-03-02"),
                "date-time" => JsonValue.Create("2026-03-02T10:00:00+01:00"),
                _ => JsonValue.Create("x"),
            },
            _ => JsonValue.Create("x"),
        };
    }

    /// <summary>Every property of a body schema, nested objects and the first item of arrays of objects included.</summary>
    private static IEnumerable<(object[] Path, JsonObject Schema)> Properties(ApiDocument document, JsonObject schema, object[] prefix, int depth)
    {
        if (depth > 4) yield break;
        foreach (var (name, value) in document.Resolve(schema)?["properties"] as JsonObject ?? [])
        {
            if (document.Resolve(value) is not JsonObject property) continue;
            object[] path = [.. prefix, name];
            yield return (path, property);
            var type = ApiDocument.TypeOf(property);
            if (type == "object")
            {
                foreach (var inner in Properties(document, property, path, depth + 1)) yield return inner;
            }
            else if (type == "array" && document.Resolve(property["items"]) is JsonObject items && ApiDocument.TypeOf(items) == "object")
            {
                foreach (var inner in Properties(document, items, [.. path, 0], depth + 1)) yield return inner;
            }
        }
    }

    /// <summary>
    /// Numbers as strings, strings as objects, arrays as numbers, objects as arrays, booleans as strings. (Beside these:
    /// every property as null, every array with a null item, every number as 1e30, every string of 100,000 characters.)
    /// </summary>
    private static JsonNode WrongType(JsonObject schema) => ApiDocument.TypeOf(schema) switch
    {
        "integer" or "number" => JsonValue.Create("1"),
        "string" => new JsonObject { ["x"] = 1 },
        "array" => JsonValue.Create(1),
        "object" => new JsonArray(),
        "boolean" => JsonValue.Create("true"),
        _ => new JsonArray(JsonValue.Create(1)),
    };

    private static string Describe(JsonNode node) => node switch
    {
        JsonObject => "an object",
        JsonArray => "an array",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => "a string",
        _ => "a number",
    };

    private static JsonNode With(JsonObject template, object[] path, JsonNode? value)
    {
        var copy = template.DeepClone();
        var parent = path[..^1].Aggregate((JsonNode?)copy, (node, segment) => segment is int i ? node?.AsArray()[i] : node?[(string)segment]);
        switch (parent, path[^1])
        {
            case (JsonObject o, string name):
                o[name] = value?.DeepClone();
                break;
            case (JsonArray a, int i) when i < a.Count:
                a[i] = value?.DeepClone();
                break;
        }
        return copy;
    }

    /// <summary>Null when the answer keeps the conventions for malformed input; otherwise what is wrong with it.</summary>
    private static async Task<string?> ViolationAsync(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync();
        var shortBody = body.Length > 300 ? body[..300] + "…" : body;
        if (status >= 500)
        {
            return $"{status} {shortBody}";
        }
        if (!response.Headers.TryGetValues("API-Version", out var versions) || versions.SingleOrDefault() != WebConventions.ApiVersion)
        {
            return $"{status} without API-Version: {WebConventions.ApiVersion}";
        }
        if (status < 400)
        {
            return null;
        }
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return $"{status} as {response.Content.Headers.ContentType?.MediaType ?? "no content type"}: {shortBody}";
        }
        try
        {
            var problem = JsonNode.Parse(body);
            if (problem?["status"]?.GetValue<int>() != status) return $"{status} but the problem says status {problem?["status"]}";
            if (string.IsNullOrWhiteSpace(problem["title"]?.GetValue<string>())) return $"{status} problem without title";
            if (string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>())) return $"{status} problem without detail";
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return $"{status} with an unreadable problem: {ex.Message}: {shortBody}";
        }
        return null;
    }

    /// <summary>
    /// Rows per table of the application schema. Access and audit logs are left out: logging a refused attempt is
    /// what NEN 7513 asks, not a change of data.
    /// </summary>
    private static async Task<SortedDictionary<string, long>> RowCountsAsync(TestApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DbSession>();
        var tablesSql = db.Dialect.Provider switch
        {
            DatabaseProvider.Sqlite => "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            DatabaseProvider.Postgres => "SELECT CAST(table_name AS varchar(200)) FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
            _ => "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'dbo' AND TABLE_TYPE = 'BASE TABLE'",
        };
        var tables = (await db.QueryAsync<string>(tablesSql))
            .Where(t => !t.Equals("schemaversions", StringComparison.OrdinalIgnoreCase) &&
                        !t.Contains("access_log", StringComparison.OrdinalIgnoreCase) &&
                        !t.Contains("audit", StringComparison.OrdinalIgnoreCase))
            .ToList();
        Assert.Contains("users", tables);
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            // The stream sends more than Signals:PerUserPerHour signals as one user: the team lead's one burst notice
            // (SPEC "Signals: no oracle", rate limit) is the intended trace of that, not data a bad request changed.
            counts[table] = table == "notifications"
                ? await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM notification_inbox WHERE type <> @type",
                    new { type = Frontlijn.Web.Features.Signals.NotifySignalBurst.NotificationType })
                : await db.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"");
        }
        return counts;
    }
}
