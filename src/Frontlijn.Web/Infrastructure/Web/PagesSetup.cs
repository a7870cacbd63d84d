using Frontlijn.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Frontlijn.Web.Infrastructure.Web;

/// <summary>The web UI: Razor Pages in this same service, sending the same mediator requests as the API.</summary>
public static class PagesSetup
{
    public static IServiceCollection AddFrontlijnPages(this IServiceCollection services)
    {
        services.AddRazorPages(options =>
        {
            // Every page is for known users unless it says otherwise; the admin pages for admins only.
            options.Conventions.AuthorizeFolder("/", Policies.KnownUser);
            options.Conventions.AuthorizeFolder("/Admin", Policies.Admin);
            // The same policies as the API endpoints whose commands the pages send; handlers check the rest (need-to-know).
            options.Conventions.AuthorizeFolder("/Households", Policies.CoachOrTeamLead);
            options.Conventions.AuthorizePage("/Households/Register", Policies.CoachOrTeamLead);
            options.Conventions.AuthorizePage("/Households/Consent", Policies.Coach);
            options.Conventions.AuthorizePage("/Households/ConsentWithdraw", Policies.Coach);
            options.Conventions.AuthorizePage("/Households/InvolvementEnd", Policies.Coach);
            options.Conventions.AuthorizePage("/Households/SendRequest", Policies.Coach);
            options.Conventions.AuthorizeFolder("/Requests", Policies.RequestParticipant);
            options.Conventions.AuthorizeFolder("/TeamLead", Policies.TeamLead);
            // The neighbourhood report: team lead (own team) and functional administrator (municipality), as its API.
            options.Conventions.AuthorizeFolder("/Wijken", Policies.TeamLeadOrAdmin);
            options.Conventions.AuthorizeFolder("/Visits", Policies.CoachOrTeamLead);
            // Reporting a signal in the browser counts against the same hourly limit as POST /api/v1/signals. Only the
            // submission page: a page is one endpoint for all its methods, and viewing the form is no signal.
            options.Conventions.AddPageApplicationModelConvention("/Signals/Send", model =>
                model.EndpointMetadata.Add(new Microsoft.AspNetCore.RateLimiting.EnableRateLimitingAttribute(
                    Features.Signals.SignalRateLimit.Policy)));
            options.Conventions.AllowAnonymousToPage("/Account/SignIn");
            options.Conventions.AllowAnonymousToPage("/Account/Denied");
            options.Conventions.AllowAnonymousToPage("/Account/SignOut");
            options.Conventions.AllowAnonymousToPage("/Error");
            // Outside the building: the reply link is the authority (Features/ReplyLinks).
            options.Conventions.AllowAnonymousToPage("/Antwoord/Index");
            // The resident portal: not for staff users (KnownUser would refuse every resident); each page checks for
            // a resident itself (Pages/Mijn/ResidentPage.cs) and sends anyone else to the residents' sign-in.
            options.Conventions.AllowAnonymousToFolder("/Mijn");
        }).AddMvcOptions(options =>
        {
            // FluentValidation (through the mediator) is the only place with input rules: no implicit [Required]
            // from nullable annotations, and the few binding messages left (a number that is not a number) in Dutch.
            options.SuppressImplicitRequiredAttributeForNonNullableReferenceTypes = true;
            var messages = options.ModelBindingMessageProvider;
            messages.SetAttemptedValueIsInvalidAccessor((value, _) => $"'{value}' is geen geldige waarde.");
            messages.SetValueIsInvalidAccessor(value => $"'{value}' is geen geldige waarde.");
            messages.SetValueMustBeANumberAccessor(_ => "Vul een getal in.");
            messages.SetNonPropertyAttemptedValueIsInvalidAccessor(value => $"'{value}' is geen geldige waarde.");
            messages.SetNonPropertyValueMustBeANumberAccessor(() => "Vul een getal in.");
            messages.SetUnknownValueIsInvalidAccessor(_ => "Deze waarde is niet geldig.");
            messages.SetNonPropertyUnknownValueIsInvalidAccessor(() => "Deze waarde is niet geldig.");
            messages.SetValueMustNotBeNullAccessor(_ => "Vul dit veld in.");
            messages.SetMissingBindRequiredValueAccessor(_ => "Vul dit veld in.");
            messages.SetMissingKeyOrValueAccessor(() => "Vul dit veld in.");
            messages.SetMissingRequestBodyRequiredValueAccessor(() => "Het formulier is leeg.");
        }).ConfigureApplicationPartManager(parts =>
        {
            // The service has no MVC controllers (the API is minimal endpoints). MVC still looks for them when the
            // route table is built, by loading every type of the assembly (Assembly.DefinedTypes) and the assemblies
            // their signatures name, before the first request (issue 12). Pages are found through their compiled
            // items, not through this provider; a controller added later would need it back.
            foreach (var provider in parts.FeatureProviders.OfType<Microsoft.AspNetCore.Mvc.Controllers.ControllerFeatureProvider>().ToList())
            {
                parts.FeatureProviders.Remove(provider);
            }
        });
        // Dutch names (Fryslân, één) as characters in the HTML, not as numeric entities; still HTML-encoded where needed.
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(options =>
            options.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddAntiforgery(options =>
        {
            // Name (__Host- over https) and the header for API calls with the session cookie: CookieApiAntiforgery.cs.
            options.Cookie.Name = CookieApiAntiforgery.CookieName;
            options.HeaderName = CookieApiAntiforgery.HeaderName;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        return services;
    }
}
