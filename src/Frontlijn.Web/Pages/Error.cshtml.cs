using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages;

/// <summary>What a person sees when a page fails or does not exist (machines get problem+json instead).</summary>
[IgnoreAntiforgeryToken]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class ErrorModel : PageModel
{
    public const string Path = "/fout";

    public string Heading { get; private set; } = "";
    public string Explanation { get; private set; } = "";

    public void OnGet(int? code) => Describe(code);

    // Errors of a POST are re-executed as a POST.
    public void OnPost(int? code) => Describe(code);

    private void Describe(int? code)
    {
        (Heading, Explanation) = code switch
        {
            400 => ("Het formulier kon niet worden verwerkt",
                "Misschien stond de pagina te lang open. Ga terug, vernieuw de pagina en probeer het opnieuw."),
            403 => ("Geen toegang", "Uw rol geeft geen toegang tot deze pagina."),
            404 => ("Pagina niet gevonden", "Deze pagina bestaat niet (meer) of valt buiten uw bevoegdheid."),
            405 => ("Dit kan hier niet", "Deze handeling wordt op deze pagina niet ondersteund."),
            410 => ("Gegevens vernietigd",
                "De gegevens van dit huishouden zijn na afloop van de bewaartermijn vernietigd. Alleen geanonimiseerde cijfers in de rapportages zijn bewaard."),
            _ => ("Er ging iets mis",
                "Er ging iets mis aan onze kant. Uw laatste handeling is niet uitgevoerd; probeer het later opnieuw."),
        };
    }
}
