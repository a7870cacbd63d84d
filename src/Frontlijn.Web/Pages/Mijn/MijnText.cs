namespace Frontlijn.Web.Pages.Mijn;

/// <summary>Plain Dutch (B1) for the portal: the API's codes as a resident reads them.</summary>
public static class MijnText
{
    public static string RequestStatus(string status) => status switch
    {
        "sent" => "Verstuurd, nog niet in behandeling",
        "acknowledged" => "In behandeling",
        "suspended" => "Even stilgezet",
        "answered" => "Beantwoord",
        "declined" => "Niet aangenomen",
        "withdrawn" => "Ingetrokken",
        _ => status,
    };

    public static string GoalStatus(string status) => status switch
    {
        "open" => "Hier werken we aan",
        "achieved" => "Gelukt",
        "dropped" => "Gestopt",
        _ => status,
    };

    public static string Role(string role) => role switch
    {
        "coach" => "Wijkcoach",
        "team-lead" => "Teamleider",
        "back-office" => "Medewerker van een organisatie",
        "admin" => "Beheerder van Frontlijn",
        _ => role,
    };

    public static string Action(string action, string result) => result == "denied"
        ? "Probeerde te kijken of te wijzigen, maar mocht dat niet"
        : action switch
        {
            "read" => "Bekeken",
            "list" => "In een lijst gezien",
            "create" => "Toegevoegd",
            "update" => "Gewijzigd",
            "withdraw" => "Ingetrokken",
            "assign" => "Coach gekozen",
            "close" => "Afgesloten",
            "match" => "Melding gekoppeld",
            "export" => "Alle gegevens opgevraagd",
            _ => action,
        };

    public static string Subject(string objectType) => objectType switch
    {
        "household" or "household-voice" => "gegevens van het huishouden",
        "consent" => "toestemming",
        "request" or "request-message" => "verzoek aan een organisatie",
        "involvement" => "betrokken organisaties",
        "family-plan" or "plan-goal" or "plan-action" or "plan-goal-note" or "plan-agreement" => "gezinsplan",
        "assessment" => "zelfredzaamheid (ZRM)",
        "access-log" => "wie er in het dossier keek",
        "coach-assignment" or "coach-history" => "contactpersoon",
        "signal" => "melding van zorg",
        "report-household-outcome" => "resultaten",
        _ => objectType,
    };
}
