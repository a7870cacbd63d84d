using System.Text.Json;
using FluentValidation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Frontlijn.Web.Infrastructure.Web;

/// <summary>
/// Turns every exception that reaches the edge into application/problem+json: validation → 400 with every field
/// error, malformed or oversized input → 400/413, refusals → their status, an unreachable database → 503 with
/// Retry-After (on pages too), anything else → 500 without internals.
/// </summary>
public sealed class ProblemExceptionHandler(
    IProblemDetailsService problems, DatabaseOutage outage, ILogger<ProblemExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (Data.DatabaseUnavailable.Is(exception))
        {
            if (httpContext.RequestAborted.IsCancellationRequested)
            {
                // Nobody is listening any more; not worth a line in the log.
                httpContext.Response.StatusCode = 499;
                return true;
            }
            // Machines and people alike: the exception handler middleware runs the registered handlers before it
            // would re-execute the error page, and that page cannot be rendered without the database.
            outage.Seen(exception, "request");
            await outage.WriteAsync(httpContext, problems);
            return true;
        }
        if (!WebConventions.IsMachinePath(httpContext.Request.Path))
        {
            // Pages: the exception handler re-executes the error page instead.
            return false;
        }
        var problem = exception switch
        {
            ValidationException v => Validation(v),
            ProblemException p => WithExtensions(
                new ProblemDetails { Status = p.Status, Title = p.Title, Detail = p.Detail, Type = p.ProblemType }, p.Extensions),
            BadHttpRequestException b => BadRequest(b),
            JsonException j => new ProblemDetails { Status = 400, Title = "Bad Request", Detail = JsonDetail(j) },
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested => null,
            _ => null,
        };
        if (problem is null)
        {
            if (httpContext.RequestAborted.IsCancellationRequested)
            {
                httpContext.Response.StatusCode = 499;
                return true;
            }
            logger.LogError(exception, "Unhandled error on {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
            problem = new ProblemDetails
            {
                Status = 500, Title = "Internal Server Error",
                Detail = "Er ging iets mis aan onze kant. Het verzoek is niet uitgevoerd; probeer het later opnieuw.",
            };
        }
        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext, ProblemDetails = problem, Exception = exception,
        });
    }

    private static ProblemDetails WithExtensions(ProblemDetails problem, IReadOnlyDictionary<string, object?>? extensions)
    {
        foreach (var (key, value) in extensions ?? new Dictionary<string, object?>())
        {
            problem.Extensions[key] = value;
        }
        return problem;
    }

    private static HttpValidationProblemDetails Validation(ValidationException exception)
    {
        var errors = exception.Errors
            .GroupBy(e => CamelPath(e.PropertyName))
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray());
        return new HttpValidationProblemDetails(errors)
        {
            Status = 400,
            Title = "Bad Request",
            Detail = "De invoer is niet geldig: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")),
        };
    }

    /// <summary>
    /// The framework's own texts name .NET types and parameters ("Implicit body inferred for parameter command...");
    /// the client gets a Dutch explanation that says what to fix, and the JSON path where reading stopped.
    /// </summary>
    private static ProblemDetails BadRequest(BadHttpRequestException exception)
    {
        var status = exception.StatusCode is >= 400 and < 500 ? exception.StatusCode : 400;
        var detail = status switch
        {
            413 => TooLarge,
            415 => "Dit inhoudstype wordt niet ondersteund; stuur application/json.",
            _ when exception.InnerException is JsonException json => JsonDetail(json),
            _ when exception.Message.Contains("body", StringComparison.OrdinalIgnoreCase) =>
                "De inhoud van het verzoek ontbreekt of is leeg; stuur een JSON-object.",
            _ when exception.Message.Contains("query string", StringComparison.OrdinalIgnoreCase) ||
                   exception.Message.Contains("route value", StringComparison.OrdinalIgnoreCase) ||
                   exception.Message.Contains("Failed to bind parameter", StringComparison.OrdinalIgnoreCase) =>
                "Een parameter in het pad of de querystring heeft een ongeldige waarde: " + ParameterName(exception.Message),
            _ => "Het verzoek is niet geldig.",
        };
        return new ProblemDetails { Status = status, Title = status == 413 ? "Payload Too Large" : "Bad Request", Detail = detail };
    }

    internal const string TooLarge = "Het verzoek is te groot: de inhoud mag hoogstens 1 MiB zijn.";

    private static string JsonDetail(JsonException json) =>
        json.Path is { Length: > 1 } path
            ? $"De inhoud is geen geldige JSON voor dit verzoek: de waarde bij '{path}' heeft niet het verwachte type of formaat."
            : "De inhoud is geen geldige JSON voor dit verzoek.";

    /// <summary>The parameter name from the framework's message (e.g. `Failed to bind parameter "int page"`), no type.</summary>
    private static string ParameterName(string message)
    {
        var start = message.IndexOf('"', StringComparison.Ordinal);
        var end = start < 0 ? -1 : message.IndexOf('"', start + 1);
        if (start < 0 || end < 0) return "controleer de parameters.";
        var declaration = message[(start + 1)..end].Trim();
        var name = declaration.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? declaration;
        return $"'{name}'.";
    }

    /// <summary>FluentValidation names properties in PascalCase ("Services[0].Code"); the API speaks camelCase.</summary>
    internal static string CamelPath(string propertyName) =>
        string.Join('.', propertyName.Split('.').Select(part =>
            part.Length == 0 ? part : char.ToLowerInvariant(part[0]) + part[1..]));
}
