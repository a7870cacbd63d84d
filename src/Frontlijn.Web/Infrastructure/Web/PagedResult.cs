namespace Frontlijn.Web.Infrastructure.Web;

/// <summary>One page of a list: the items, where we are, and how many there are in all.</summary>
public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);
