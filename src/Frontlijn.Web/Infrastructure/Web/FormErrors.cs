using FluentValidation;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Frontlijn.Web.Infrastructure.Web;

/// <summary>
/// Puts the refusals of a mediator command on a form: field errors next to their field, conflicts at the top. The rules
/// themselves stay in the command's validator and handler; this only decides where a message is shown.
/// </summary>
public static class FormErrors
{
    /// <param name="prefix">The name of the bound input model ("Input").</param>
    /// <param name="labels">Field label per command property (PascalCase), so a message reads "'Naam' mag niet leeg
    /// zijn." instead of the API's "'name' mag niet leeg zijn.".</param>
    /// <param name="fieldFor">Where a command property is shown when the form spells it differently
    /// (PostalCodes[2] → the one PostalCodes text field); null keeps the property path.</param>
    public static void AddTo(
        ModelStateDictionary modelState, ValidationException exception, string prefix,
        IReadOnlyDictionary<string, string> labels, Func<string, string?>? fieldFor = null)
    {
        foreach (var failure in exception.Errors)
        {
            var path = Pascal(failure.PropertyName);
            var field = fieldFor?.Invoke(path) ?? path;
            var key = string.IsNullOrEmpty(field) ? "" : $"{prefix}.{field}";
            var message = Relabel(failure, labels);
            // Three wrong postal codes in one field are one message, not three.
            if (modelState.TryGetValue(key, out var entry) && entry.Errors.Any(e => e.ErrorMessage == message)) continue;
            modelState.AddModelError(key, message);
        }
    }

    /// <summary>FluentValidation quotes the camelCase property name; show the Dutch label instead.</summary>
    private static string Relabel(FluentValidation.Results.ValidationFailure failure, IReadOnlyDictionary<string, string> labels)
    {
        var message = failure.ErrorMessage;
        var member = Pascal(failure.PropertyName).Split('.')[^1];
        var bracket = member.IndexOf('[', StringComparison.Ordinal);
        if (bracket >= 0) member = member[..bracket];
        if (!labels.TryGetValue(member, out var label)) return message;
        var shown = failure.FormattedMessagePlaceholderValues?.TryGetValue("PropertyName", out var name) == true
            ? name?.ToString()
            : null;
        shown ??= char.ToLowerInvariant(member[0]) + member[1..];
        return message.Replace($"'{shown}'", $"'{label}'", StringComparison.Ordinal);
    }

    /// <summary>"services[0].code" (handler refusals use the API's spelling) → "Services[0].Code".</summary>
    internal static string Pascal(string path) =>
        string.Join('.', path.Split('.').Select(part => part.Length == 0 ? part : char.ToUpperInvariant(part[0]) + part[1..]));
}
