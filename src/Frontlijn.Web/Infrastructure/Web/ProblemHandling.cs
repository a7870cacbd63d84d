using System.Text.Json;
using FluentValidation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Frontlijn.Web.Infrastructure.Web;

/// <summary>
/// Turns every exception that reaches the edge into application/problem+json: validation → 400 with every field
/// error, malformed or oversized input → 400/413, refusals → their status, anything else → 500 without internals.
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!WebConventions.IsMachinePath(httpContext.Request.Path))
        {
            // Pages: the exception handler re-executes the error page instead.
            return false;
        }
        var problem = exception switch
        {
            ValidationException v => Validation(v),
            ProblemException p => new ProblemDetails { Status = p.Status, Title = p.Title, Detail = p.Detail, Type = p.ProblemType },
            BadHttpRequestException b => BadRequest(b),
            JsonException j => new ProblemDetails
            {
                Status = 400, Title = "Bad Request", Detail = $"De inhoud is geen geldige JSON voor dit verzoek: {j.Message}",
            },
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

    private static ProblemDetails BadRequest(BadHttpRequestException exception)
    {
        var status = exception.StatusCode is >= 400 and < 500 ? exception.StatusCode : 400;
        var detail = exception.InnerException is JsonException json
            ? $"De inhoud is geen geldige JSON voor dit verzoek: {json.Message}"
            : status == 413 ? "Het verzoek is te groot." : exception.Message;
        return new ProblemDetails { Status = status, Title = status == 413 ? "Payload Too Large" : "Bad Request", Detail = detail };
    }

    /// <summary>FluentValidation names properties in PascalCase ("Services[0].Code"); the API speaks camelCase.</summary>
    internal static string CamelPath(string propertyName) =>
        string.Join('.', propertyName.Split('.').Select(part =>
            part.Length == 0 ? part : char.ToLowerInvariant(part[0]) + part[1..]));
}
