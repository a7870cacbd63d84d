using System.Globalization;
using FluentValidation;
using Frontlijn.Web.Features.Signals;
using Frontlijn.Web.Features.Visits;

namespace Frontlijn.Web.Pages.Visits;

/// <summary>How the visit pages say things to people: the outcomes in plain Dutch (the API's codes stay the values
/// sent), the day in words, and where a concern's signal went.</summary>
public static class VisitText
{
    /// <summary>The outcome as the visitor chooses it at the door (short: a big button on a phone).</summary>
    public static string Result(string result) => result switch
    {
        VisitResults.NoAnswer => "Niet thuis",
        VisitResults.Talked => "Gesproken",
        VisitResults.Concern => "Zorg",
        VisitResults.NoConcern => "Geen zorg",
        _ => result,
    };

    /// <summary>What each choice means, under its button.</summary>
    public static string ResultHint(string result) => result switch
    {
        VisitResults.NoAnswer => "Er werd niet opengedaan.",
        VisitResults.Talked => "U heeft iemand gesproken; of er reden tot zorg is, weet u nog niet.",
        VisitResults.Concern => "Er gaat meteen een signaal naar de coach van het huishouden op dit adres. Heeft het adres geen coach, dan komt het signaal in de triagewachtrij van het team.",
        VisitResults.NoConcern => "U heeft iemand gesproken en maakt u geen zorgen.",
        _ => "",
    };

    /// <summary>"dinsdag 1 december 2026".</summary>
    public static string Day(DateOnly day) => day.ToString("dddd d MMMM yyyy", Ui.Dutch);

    public static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Where a concern's signal went, from the recording's own answer (the signal's oracle-free routing).</summary>
    public static string RoutedTo(SubmitSignal.RoutedTo to) =>
        to.Kind == SubmitSignal.KindCoach
            ? $"Het signaal gaat naar {to.DisplayName}, de coach{(to.TeamName is null ? "" : $" bij {to.TeamName}")}."
            : to.TeamName is null
                ? "Het signaal komt in de gedeelde triagewachtrij van de teamleiders."
                : $"Het signaal komt in de triagewachtrij van {to.TeamName}.";

    /// <summary>
    /// The API's messages name their JSON field for developers ("De reden van het bezoek (reason) is verplicht."); a
    /// person reads them without it. Only a parenthesis that is exactly the failing field's own name is dropped.
    /// </summary>
    public static ValidationException ForPeople(ValidationException exception) => new(exception.Errors.Select(f =>
    {
        var member = f.PropertyName.Split('.')[^1];
        return new FluentValidation.Results.ValidationFailure(f.PropertyName,
            f.ErrorMessage.Replace($" ({member})", "", StringComparison.OrdinalIgnoreCase))
        {
            FormattedMessagePlaceholderValues = f.FormattedMessagePlaceholderValues,
        };
    }));
}
