using System.Text.Json;
using System.Text.Json.Nodes;
using FluentValidation;
using FluentValidation.Results;

namespace Frontlijn.Web.Infrastructure.Web;

/// <summary>One member of a merge patch: absent (left as it is) or present, possibly null (cleared).</summary>
public readonly record struct Change<T>(bool IsSet, T Value)
{
    public T Or(T current) => IsSet ? Value : current;
}

/// <summary>
/// Reading a JSON Merge Patch (RFC 7396) the one way every PATCH of the API does: the content type is checked (415),
/// the body must be an object, each member's JSON type is checked and unknown members are refused (a typo must not be
/// ignored silently). All member errors come back at once, as a 400 per field.
/// </summary>
public sealed class MergePatch
{
    public const string MediaType = "application/merge-patch+json";

    private readonly JsonObject _patch;
    private readonly List<ValidationFailure> _errors = [];

    public MergePatch(JsonNode? body, IReadOnlyCollection<string> members)
    {
        _patch = body as JsonObject ?? throw new ProblemException(400, "Bad Request",
            "De inhoud moet een JSON-object zijn met de velden die u wilt wijzigen (JSON Merge Patch).");
        foreach (var (name, _) in _patch)
        {
            if (!members.Contains(name, StringComparer.Ordinal))
            {
                _errors.Add(new(name, $"'{name}' kan hier niet gewijzigd worden; wel: {string.Join(", ", members)}."));
            }
        }
    }

    /// <summary>415 unless the request is a merge patch; then its body as JSON (malformed JSON is a 400 upstream).</summary>
    public static async Task<JsonNode?> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (!IsMergePatch(request.ContentType))
        {
            throw new ProblemException(415, "Unsupported Media Type",
                $"Stuur de wijziging als {MediaType} (JSON Merge Patch, RFC 7396).");
        }
        return await JsonNode.ParseAsync(request.Body, cancellationToken: ct);
    }

    public static bool IsMergePatch(string? contentType) =>
        contentType is not null &&
        System.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var parsed) &&
        string.Equals(parsed.MediaType, MediaType, StringComparison.OrdinalIgnoreCase);

    /// <summary>Throws the collected member errors (unknown members, wrong JSON types) as one 400.</summary>
    public void ThrowIfInvalid()
    {
        if (_errors.Count > 0) throw new ValidationException(_errors);
    }

    public Change<string?> Text(string name) =>
        Member(name, "een tekst", (JsonNode v, out string? value) =>
        {
            value = v is JsonValue s && s.GetValueKind() == JsonValueKind.String ? s.GetValue<string>() : null;
            return value is not null;
        });

    public Change<Guid?> Uuid(string name) =>
        Member(name, "een uuid", (JsonNode v, out Guid? value) =>
        {
            value = v is JsonValue s && s.GetValueKind() == JsonValueKind.String && Guid.TryParse(s.GetValue<string>(), out var g) ? g : null;
            return value is not null;
        });

    public Change<int?> Number(string name) =>
        Member(name, "een geheel getal", (JsonNode v, out int? value) =>
        {
            value = v is JsonValue n && n.GetValueKind() == JsonValueKind.Number && n.TryGetValue<int>(out var i) ? i : null;
            return value is not null;
        });

    public Change<bool?> Flag(string name) =>
        Member(name, "true of false", (JsonNode v, out bool? value) =>
        {
            value = v.GetValueKind() switch { JsonValueKind.True => true, JsonValueKind.False => false, _ => null };
            return value is not null;
        });

    /// <summary>A member that is a JSON object, read as <typeparamref name="T"/> (replaced as a whole).</summary>
    public Change<T?> Whole<T>(string name, string expected) where T : class =>
        Member(name, expected, (JsonNode v, out T? value) =>
        {
            value = null;
            if (v is not JsonObject) return false;
            try
            {
                value = v.Deserialize<T>(JsonSerializerOptions.Web);
            }
            catch (JsonException)
            {
                value = null;
            }
            return value is not null;
        });

    /// <summary>Refuses a member whose JSON type was right but whose value is not allowed (e.g. null where required).</summary>
    public void Refuse(string name, string message) => _errors.Add(new(name, message));

    /// <summary>A whole array, replacing the current one (RFC 7396 has no element-wise merge of arrays).</summary>
    public Change<IReadOnlyList<Guid>?> UuidList(string name) =>
        List(name, "een lijst van uuids", node =>
            node is JsonValue s && s.GetValueKind() == JsonValueKind.String && Guid.TryParse(s.GetValue<string>(), out var g)
                ? (true, g) : (false, Guid.Empty));

    public Change<IReadOnlyList<string>?> TextList(string name) =>
        List(name, "een lijst van teksten", node =>
            node is JsonValue s && s.GetValueKind() == JsonValueKind.String ? (true, s.GetValue<string>()) : (false, ""));

    private Change<IReadOnlyList<T>?> List<T>(string name, string expected, Func<JsonNode?, (bool Ok, T Value)> read) =>
        Member(name, expected, (JsonNode v, out IReadOnlyList<T>? value) =>
        {
            value = null;
            if (v is not JsonArray array) return false;
            var items = new List<T>(array.Count);
            foreach (var item in array)
            {
                var (ok, parsed) = read(item);
                if (!ok) return false;
                items.Add(parsed);
            }
            value = items;
            return true;
        });

    private delegate bool TryRead<T>(JsonNode value, out T result);

    private Change<T?> Member<T>(string name, string expected, TryRead<T?> read)
    {
        if (!_patch.TryGetPropertyValue(name, out var node)) return default;
        if (node is null) return new(true, default);
        if (read(node, out var result)) return new(true, result);
        _errors.Add(new(name, $"'{name}' moet {expected} zijn."));
        return default;
    }
}
