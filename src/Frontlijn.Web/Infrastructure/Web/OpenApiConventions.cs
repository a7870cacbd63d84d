using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Frontlijn.Web.Infrastructure.Web;

/// <summary>
/// Shapes the generated OpenAPI document to the NL API Design Rules (Logius ADR, the nlgov Spectral rules):
/// a servers entry with the public https base URL ending in /api/v1 (paths are relative to it), contact and semver
/// in info, API-Version on every 2xx/3xx response, problem+json (status, title, detail) on every 4xx/5xx, and a 400
/// on every operation that takes input.
/// </summary>
public static class OpenApiConventions
{
    public const string DocumentPath = WebConventions.ApiBase + "/openapi.json";

    public static IServiceCollection AddFrontlijnOpenApi(this IServiceCollection services, IConfiguration configuration)
    {
        var publicBaseUrl = (configuration["Api:PublicBaseUrl"] ?? "https://localhost:5001").TrimEnd('/');
        services.AddOpenApi("v1", options =>
        {
            options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_0;
            options.ShouldInclude = d => d.RelativePath?.StartsWith("api/v1/", StringComparison.Ordinal) == true;
            // Every slice nests its own Command/Query/Row: name their schemas after the slice (CreateTeamCommand), or
            // all of them share one schema called "Command" and every POST documents the first slice's body.
            options.CreateSchemaReferenceId = type =>
                OpenApiOptions.CreateDefaultSchemaReferenceId(type) is null ? null : SchemaId(type.Type);
            options.AddDocumentTransformer((document, _, _) =>
            {
                Shape(document, publicBaseUrl);
                return Task.CompletedTask;
            });
        });
        return services;
    }

    /// <summary>
    /// Schema names that cannot collide: every slice nests its own Command/Query/Row/Item, so a nested type is named
    /// with its declaring types (CreateTeamCommand) and a generic one with its arguments' names (PagedResultOfListTeamsItem).
    /// </summary>
    internal static string SchemaId(Type type)
    {
        var name = type.Name;
        var arity = name.IndexOf('`', StringComparison.Ordinal);
        if (arity >= 0) name = name[..arity];
        if (type.IsGenericType)
        {
            name += "Of" + string.Concat(type.GetGenericArguments().Select(SchemaId));
        }
        return type.IsNested && type.DeclaringType is { } declaring && !type.IsGenericParameter
            ? SchemaId(declaring) + name
            : name;
    }

    internal static void Shape(OpenApiDocument document, string publicBaseUrl)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Frontlijn API",
            Version = WebConventions.ApiVersion,
            Description = "Casuscoördinatie voor frontlijnteams: één huishouden, één contactpersoon. " +
                          "Authenticatie met een Bearer-JWT; fouten als application/problem+json.",
            Contact = new OpenApiContact
            {
                Name = "Frontlijn",
                Url = new Uri("https://frontlijn.nl/contact"),
                Email = "api@frontlijn.nl",
            },
        };
        document.Servers = [new OpenApiServer { Url = publicBaseUrl + WebConventions.ApiBase, Description = "Frontlijn API v1" }];

        var paths = new OpenApiPaths();
        foreach (var (path, item) in document.Paths.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var relative = path.StartsWith(WebConventions.ApiBase, StringComparison.Ordinal)
                ? path[WebConventions.ApiBase.Length..]
                : path;
            paths[relative.Length == 0 ? "/" : relative.TrimEnd('/')] = item;
            foreach (var (method, operation) in item.Operations ?? [])
            {
                ShapeOperation(method, operation, item);
            }
        }
        paths["/openapi.json"] = OpenApiDocumentPath();
        document.Paths = paths;

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
        {
            ["bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "JWT",
                Description = "Access token (JWT, `typ` at+jwt, `aud` = de API) van de identity provider (OIDC), met " +
                    "meerfactorbewijs (`amr`/`acr`); een ID-token wordt geweigerd. De gebruiker is de `sub` (of " +
                    "Auth:SubjectClaim) van het token, zoals de beheerder die als `externalSubject` vastlegde; rollen " +
                    "in het token tellen niet. In demomodus: van `token <gebruikersnaam>`.",
            },
        };
        document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] }];
    }

    /// <summary>The document describes where it is published (nlgov: the OpenAPI document at /openapi.json, CORS open).</summary>
    private static OpenApiPathItem OpenApiDocumentPath() => new()
    {
        Operations = new Dictionary<HttpMethod, OpenApiOperation>
        {
            [HttpMethod.Get] = new()
            {
                OperationId = "getOpenApiDocument",
                Summary = "Dit OpenAPI-document (openbaar)",
                Tags = new HashSet<OpenApiTagReference> { new("API") },
                Security = [],
                Responses = new OpenApiResponses
                {
                    ["200"] = new OpenApiResponse
                    {
                        Description = "Het OpenAPI-document van deze API.",
                        Headers = new Dictionary<string, IOpenApiHeader>
                        {
                            ["API-Version"] = ApiVersionHeader(),
                            ["access-control-allow-origin"] = new OpenApiHeader
                            {
                                Description = "Het document is voor iedereen leesbaar.",
                                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                            },
                        },
                        Content = new Dictionary<string, OpenApiMediaType>
                        {
                            ["application/json"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.Object } },
                        },
                    },
                    ["500"] = Problem(Describe("500")),
                },
            },
        },
    };

    private static void ShapeOperation(HttpMethod method, OpenApiOperation operation, IOpenApiPathItem item)
    {
        operation.Responses ??= new OpenApiResponses();
        foreach (var (code, response) in operation.Responses.ToList())
        {
            if (code.StartsWith('2') || code.StartsWith('3'))
            {
                if (response is OpenApiResponse concrete)
                {
                    concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
                    concrete.Headers["API-Version"] = ApiVersionHeader();
                }
            }
            else
            {
                operation.Responses[code] = Problem(Describe(code));
            }
        }

        var hasParameters = (operation.Parameters?.Count ?? 0) > 0 || (item.Parameters?.Count ?? 0) > 0;
        var takesBody = method == HttpMethod.Post || method == HttpMethod.Put || method == HttpMethod.Patch;
        var hasPathParameters = (operation.Parameters ?? []).Any(p => p.In == ParameterLocation.Path);
        AddProblem(operation, "400", takesBody || hasParameters || method == HttpMethod.Get || method == HttpMethod.Delete);
        AddProblem(operation, "401", true);
        AddProblem(operation, "403", true);
        AddProblem(operation, "404", hasPathParameters);
        AddProblem(operation, "409", takesBody);
        AddProblem(operation, "413", takesBody);
        AddProblem(operation, "500", true);
    }

    private static void AddProblem(OpenApiOperation operation, string code, bool when)
    {
        if (when && !operation.Responses!.ContainsKey(code))
        {
            operation.Responses[code] = Problem(Describe(code));
        }
    }

    private static string Describe(string code) => code switch
    {
        "400" => "Ongeldige invoer; `errors` noemt elk veld dat niet klopt.",
        "401" => "Niet aangemeld: een geldige Bearer-token ontbreekt.",
        "403" => "Aangemeld, maar deze rol mag dit niet.",
        "404" => "Bestaat niet of valt buiten uw bevoegdheid.",
        "409" => "Conflict met de huidige toestand (bijvoorbeeld al bestaand of een verouderde versie).",
        "413" => "Het verzoek is te groot.",
        "415" => "Dit inhoudstype wordt hier niet ondersteund.",
        "500" => "Onverwachte fout aan de kant van Frontlijn; er is niets gewijzigd.",
        _ => "Fout",
    };

    private static OpenApiHeader ApiVersionHeader() => new()
    {
        Description = "De volledige versie van de API (semver).",
        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        Example = JsonValue.Create(WebConventions.ApiVersion),
    };

    private static OpenApiResponse Problem(string description) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/problem+json"] = new() { Schema = ProblemSchema() },
        },
    };

    private static OpenApiSchema ProblemSchema() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "RFC 9457 problem details.",
        Required = new HashSet<string> { "status", "title" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri-reference" },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "400", Maximum = "599" },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri-reference" },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "Per veld (camelCase) de fouten.",
                AdditionalProperties = new OpenApiSchema
                {
                    Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String },
                },
            },
        },
    };
}
