using FluentValidation;
using Frontlijn.Web.Infrastructure.Web;

namespace Frontlijn.UnitTests.Validation;

internal static class ValidationAssert
{
    public static void Valid<T>(IValidator<T> validator, T instance)
    {
        var result = validator.Validate(instance);
        Assert.True(result.IsValid, "Expected valid, got: " + string.Join("; ", result.Errors.Select(e => $"{e.PropertyName}: {e.ErrorMessage}")));
    }

    /// <summary>
    /// Fails on exactly these properties and on no other, named as the API reports them in <c>errors</c>
    /// (FluentValidation's paths through <see cref="ProblemExceptionHandler.CamelPath"/>: "services[0].code").
    /// </summary>
    public static void FailsOn<T>(IValidator<T> validator, T instance, params string[] properties)
    {
        var result = validator.Validate(instance);
        var failed = result.Errors.Select(e => ProblemExceptionHandler.CamelPath(e.PropertyName))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        Assert.True(properties.Order(StringComparer.Ordinal).SequenceEqual(failed),
            $"Expected failures on [{string.Join(", ", properties)}] but got: " +
            string.Join("; ", result.Errors.Select(e => $"{e.PropertyName}: {e.ErrorMessage}")));
    }
}
