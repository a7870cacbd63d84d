namespace Frontlijn.Web.Features.Admin.Teams;

/// <summary>A frontline team (frontlijnteam/wijkteam) and the neighbourhoods it covers.</summary>
public sealed record Team(Guid Id, string Name, IReadOnlyList<Guid> NeighbourhoodIds);
