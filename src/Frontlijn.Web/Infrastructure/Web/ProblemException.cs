namespace Frontlijn.Web.Infrastructure.Web;

/// <summary>
/// A refusal that the client can act on, carried to the edge and written as application/problem+json.
/// Use the factory methods so that the status codes mean the same everywhere.
/// </summary>
public sealed class ProblemException(int status, string title, string detail, string? type = null) : Exception(detail)
{
    public int Status { get; } = status;
    public string Title { get; } = title;
    public string Detail { get; } = detail;
    public string? ProblemType { get; } = type;

    /// <summary>Extra members of the problem (RFC 9457 extensions), e.g. the id of the existing record on a 409.</summary>
    public IReadOnlyDictionary<string, object?>? Extensions { get; init; }

    /// <summary>404: also for objects that exist but are outside the caller's need-to-know (never reveal existence).</summary>
    public static ProblemException NotFound(string what) =>
        new(404, "Not Found", $"{what} bestaat niet of valt buiten uw bevoegdheid.");

    public static ProblemException Conflict(string detail) => new(409, "Conflict", detail);

    public static ProblemException Forbidden(string detail) => new(403, "Forbidden", detail);
}
