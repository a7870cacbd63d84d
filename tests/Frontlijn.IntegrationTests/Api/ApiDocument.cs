using System.Net;
using System.Text.Json.Nodes;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.Web.Infrastructure.Web;

namespace Frontlijn.IntegrationTests.Api;

/// <summary>One operation of the OpenAPI document: a path (relative to the server) and a method.</summary>
internal sealed record ApiOperation(string Path, string Method, JsonObject Operation, JsonObject PathItem)
{
    public string Name => $"{Method.ToUpperInvariant()} {Path}";

    public bool TakesBody => Method is "post" or "put" or "patch";

    public override string ToString() => Name;
}

/// <summary>The published OpenAPI document (fetched anonymously, as any client would) and a few ways to walk it.</summary>
internal sealed class ApiDocument(JsonObject root, HttpResponseMessage response)
{
    /// <summary>The operation keys of an OpenAPI 3.0 path item.</summary>
    public static readonly string[] HttpMethods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

    public JsonObject Root { get; } = root;

    /// <summary>The response that carried the document (for its headers).</summary>
    public HttpResponseMessage Response { get; } = response;

    public static async Task<ApiDocument> LoadAsync(TestApp app)
    {
        using var anonymous = app.ClientFor(null);
        var response = await anonymous.GetAsync(OpenApiConventions.DocumentPath);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {OpenApiConventions.DocumentPath} anonymously: {(int)response.StatusCode} {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var root = JsonNode.Parse(body) as JsonObject;
        Assert.True(root is not null, "The OpenAPI document is not a JSON object");
        return new ApiDocument(root, response);
    }

    public JsonObject Paths => Root["paths"] as JsonObject ?? [];

    public IReadOnlyList<ApiOperation> Operations =>
    [
        .. from path in Paths
           let item = Resolve(path.Value) as JsonObject ?? []
           from method in HttpMethods
           where item[method] is JsonObject
           select new ApiOperation(path.Key, method, (JsonObject)item[method]!, item),
    ];

    /// <summary>
    /// Follows local <c>$ref</c>s ("#/components/schemas/X") until it reaches the node itself. A nullable object
    /// property is written by ASP.NET Core as <c>oneOf: [{enum: [null], nullable: true}, {$ref: X}]</c> (OpenAPI 3.0
    /// has no null type); that resolves to X.
    /// </summary>
    public JsonNode? Resolve(JsonNode? node)
    {
        for (var hops = 0; hops < 20 && node is JsonObject o; hops++)
        {
            if (o["oneOf"] is JsonArray { Count: 2 } oneOf && oneOf.Count(IsNullOnly) == 1)
            {
                node = oneOf.Single(branch => !IsNullOnly(branch));
                continue;
            }
            if (o["$ref"]?.GetValue<string>() is not { } reference) break;
            Assert.StartsWith("#/", reference, StringComparison.Ordinal);
            node = reference[2..].Split('/').Aggregate((JsonNode?)Root, (current, segment) =>
                current?[segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)]);
            Assert.True(node is not null, $"Unresolvable $ref {reference}");
        }
        return node;
    }

    private static bool IsNullOnly(JsonNode? branch) =>
        branch is JsonObject b && b["enum"] is JsonArray { Count: 1 } values && values[0] is null;

    /// <summary>The parameters of an operation, those of its path item included, resolved.</summary>
    public IEnumerable<JsonObject> Parameters(ApiOperation operation) =>
        (operation.PathItem["parameters"] as JsonArray ?? [])
        .Concat(operation.Operation["parameters"] as JsonArray ?? [])
        .Select(Resolve)
        .OfType<JsonObject>();

    /// <summary>Every response of every operation, with its status code (resolved).</summary>
    public IEnumerable<(ApiOperation Operation, string Status, JsonObject Response)> Responses =>
        from operation in Operations
        from response in operation.Operation["responses"] as JsonObject ?? []
        select (operation, response.Key, Resolve(response.Value) as JsonObject ?? []);

    /// <summary>The JSON request body schema of an operation, resolved; null when it takes no JSON body.</summary>
    public JsonObject? RequestSchema(ApiOperation operation) =>
        Resolve(Resolve(operation.Operation["requestBody"])?["content"]?["application/json"]?["schema"]) as JsonObject;

    /// <summary>The type of a schema ("string", "integer", ...); OpenAPI 3.1 arrays of types count by their non-null member.</summary>
    public static string? TypeOf(JsonObject schema) => schema["type"] switch
    {
        JsonValue value => value.GetValue<string>(),
        JsonArray types => types.Select(t => t?.GetValue<string>()).FirstOrDefault(t => t != "null"),
        _ => schema["properties"] is not null ? "object" : schema["items"] is not null ? "array" : null,
    };

    /// <summary>The base URL of the API as the document states it (the first server).</summary>
    public Uri ServerUrl => new(Root["servers"]![0]!["url"]!.GetValue<string>());
}
