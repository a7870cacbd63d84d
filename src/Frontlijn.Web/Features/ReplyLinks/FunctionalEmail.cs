namespace Frontlijn.Web.Features.ReplyLinks;

/// <summary>
/// An e-mail address as we accept it for an organisation's functional mailbox or a user's digest: one plain
/// address (no display name, no list), at most 254 characters (RFC 5321).
/// </summary>
public static class FunctionalEmail
{
    public const string Invalid = "Dit is geen geldig e-mailadres (zoals verzoeken@stichting.nl).";
    public const string Required = "Een organisatie die via een antwoordlink antwoordt, heeft een functioneel e-mailadres (functionalEmail) nodig.";

    public static bool IsValid(string? address) =>
        address is { Length: > 2 and <= 254 } &&
        !address.Any(c => char.IsWhiteSpace(c) || c is '<' or '>' or ',' or ';' or '"') &&
        address.IndexOf('@', StringComparison.Ordinal) is var at && at > 0 && at == address.LastIndexOf('@') &&
        address[(at + 1)..].Contains('.', StringComparison.Ordinal) && !address.EndsWith('.') &&
        MimeKit.MailboxAddress.TryParse(address, out var parsed) && parsed.Address == address;
}
