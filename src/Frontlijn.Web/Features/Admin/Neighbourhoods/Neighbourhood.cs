namespace Frontlijn.Web.Features.Admin.Neighbourhoods;

/// <summary>A neighbourhood (wijk) and the PC4 postal-code areas it covers.</summary>
public sealed record Neighbourhood(Guid Id, string Code, string Name, string Municipality, IReadOnlyList<string> PostalCodes);
